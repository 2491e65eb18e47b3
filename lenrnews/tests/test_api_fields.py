"""A lighter API: ``fields=`` and ``omit=`` on every endpoint, article lists without the body, all in the schema."""

import itertools

import pytest

from articles.tests.factories import ArticleFactory, CorrectionFactory, SourceFactory, TopicFactory
from lenrnews.tests.api_support import API, RICH_ROWS, client_for, editor
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory
from portal.api import router

pytestmark = pytest.mark.django_db

VIEWSETS: dict = {prefix: viewset for prefix, viewset, _basename in router.registry}
RESOURCES = [prefix for prefix in VIEWSETS if prefix in RICH_ROWS]


def urls(resource):
    """The resource's list and one of its records."""
    row = RICH_ROWS[resource]()
    key = row.slug if VIEWSETS[resource].lookup_field == "slug" else row.pk
    return f"{API}{resource}/", f"{API}{resource}/{key}/"


def records(response):
    body = response.json()
    return body["results"] if "results" in body else [body]


@pytest.mark.parametrize("resource", RESOURCES)
def test_fields_shows_only_the_fields_named_and_omit_all_but_those(resource):
    for url in urls(resource):
        client = client_for()
        every = records(client.get(url))[0]
        first, second, *rest = every

        chosen = client.get(url, {"fields": f"{second},{first}"})
        repeated = client.get(f"{url}?fields={first}&fields={second}")
        omitted = client.get(url, {"omit": ",".join(rest)})

        for response in (chosen, repeated, omitted):
            assert response.status_code == 200, response.content
            assert [list(record) for record in records(response)] == [[first, second]] * len(records(response))
        assert records(chosen)[0] == {first: every[first], second: every[second]}


@pytest.mark.parametrize("resource", [*RESOURCES, "deletions"])
def test_an_unknown_field_is_a_400_listing_the_fields(resource):
    url = f"{API}{resource}/"

    for parameter in ("fields", "omit"):
        response = client_for().get(url, {parameter: "slug,colour"})
        assert response.status_code == 400
        assert list(response.json()) == [parameter]
        message = response.json()[parameter][0]
        assert "colour" in message
        assert "deleted_at" in message if resource == "deletions" else "updated_at" in message


def test_fields_and_omit_shape_what_a_write_answers():
    client = client_for(editor())
    response = client.post(f"{API}topics/?fields=slug", {"name": "Courts"}, format="json")
    assert response.status_code == 201
    assert response.json() == {"slug": "courts"}
    changed = client.patch(f"{API}topics/courts/?omit=description_html", {"description": "*x*"}, format="json")
    assert list(changed.json()) == ["slug", "name", "url", "description", "created_at", "updated_at"]


def test_an_article_list_leaves_out_the_body_and_the_sources_unless_asked():
    article = ArticleFactory(body="The *jury* found for Rossi.")
    client = client_for()

    listed = client.get(f"{API}articles/").json()["results"][0]
    star = client.get(f"{API}articles/", {"fields": "*,body"}).json()["results"][0]
    only_body = client.get(f"{API}articles/", {"fields": "slug,body_html"}).json()["results"][0]
    detail = client.get(f"{API}articles/{article.slug}/").json()

    assert not {"body", "body_html", "sources"} & set(listed)
    assert set(star) == set(listed) | {"body"}
    assert only_body == {"slug": article.slug, "body_html": "<p>The <em>jury</em> found for Rossi.</p>\n"}
    assert detail["body"] == "The *jury* found for Rossi."
    assert set(detail) == set(listed) | {"body", "body_html", "sources"}


def test_the_mentions_of_an_article_take_fields_too():
    article = RICH_ROWS["articles"]()
    response = client_for(editor()).get(f"{API}articles/{article.slug}/mentions/", {"fields": "ambiguous"})
    assert response.status_code == 200
    assert list(response.json()) == ["ambiguous"]


# --- Weight ---

WORDS = (
    "the reactor ran for four hundred hours at a steady output while the calorimetry team logged the flow and "
    "inlet temperatures every minute and an independent observer checked the meters before and after each run"
).split()


def realistic_body(n):
    """About 900 words of Markdown in paragraphs with a heading and a list, as our articles are."""
    words = itertools.islice(itertools.cycle(WORDS), n, n + 900)
    text = " ".join(words)
    paragraphs = [text[i : i + 600] for i in range(0, len(text), 600)]
    return "## What was measured\n\n" + "\n\n".join(paragraphs) + "\n\n- input power\n- output power\n- duration\n"


def twenty_realistic_articles():
    """Twenty published articles, each with what an article of ours carries: topics, entities, sources."""
    topics = [TopicFactory(name=f"Topic {n}") for n in range(3)]
    organizations = [OrganizationFactory(name=f"Organization number {n}") for n in range(8)]
    people = [PersonFactory(name=f"Person number {n}") for n in range(6)]
    technologies = [TechnologyFactory(name=f"Technology number {n}") for n in range(4)]
    sources = [SourceFactory(title=f"A report on the tests, part {n}", via=SourceFactory()) for n in range(6)]
    for n in range(20):
        article = ArticleFactory(
            title=f"Industrial Heat's reactor runs for four hundred hours in test {n}",
            standfirst="An independent observer logged the calorimetry; the company says the output was steady.",
            body=realistic_body(n),
        )
        article.topics.add(*topics[n % 3 : n % 3 + 2])
        article.organizations.add(*organizations[n % 8 : n % 8 + 3])
        article.people.add(*people[n % 6 : n % 6 + 2])
        article.technologies.add(technologies[n % 4])
        article.sources.add(*sources[n % 6 : n % 6 + 2])
        if n % 5 == 0:
            CorrectionFactory(article=article)


def test_a_page_of_twenty_articles_weighs_under_30_kb():
    twenty_realistic_articles()
    client = client_for()

    light = client.get(f"{API}articles/")
    full = client.get(f"{API}articles/", {"fields": "*,body,body_html,sources"})

    assert light.json()["count"] == 20
    assert len(light.json()["results"]) == 20
    assert len(light.content) < 30_000, len(light.content)
    assert len(full.content) > 5 * len(light.content)  # the bodies were realistic


# --- The schema ---


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return client_for().get("/api/schema/?format=json").json()


def test_every_operation_documents_fields_and_omit(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", [])}
            assert {"fields", "omit"} <= names, f"{method} {path}"
            assert "400" in operation["responses"], f"{method} {path}"


def test_every_list_documents_updated_since_and_ordering_by_last_change(schema):
    for resource in RESOURCES:
        parameters = {p["name"]: p for p in schema["paths"][f"{API}{resource}/"]["get"]["parameters"]}
        assert parameters["updated_since"]["schema"]["format"] == "date-time", resource
        assert "-updated_at" in parameters["ordering"]["schema"]["enum"], resource
    deletions = {p["name"] for p in schema["paths"][f"{API}deletions/"]["get"]["parameters"]}
    assert {"since", "type", "page", "fields"} <= deletions


def test_writes_document_if_match_and_412_and_reads_the_etag(schema):
    for path, operations in schema["paths"].items():
        if path.endswith("}/"):
            for method in ("put", "patch", "delete"):
                operation = operations[method]
                assert "If-Match" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}, path
                assert "412" in operation["responses"], path
            assert "ETag" in operations["get"]["responses"]["200"]["headers"], path


def test_the_schema_says_what_a_list_leaves_out_and_how_dates_and_links_are_written(schema):
    fields = next(p for p in schema["paths"][f"{API}articles/"]["get"]["parameters"] if p["name"] == "fields")
    assert "leaves out body, body_html, sources" in fields["description"]
    deal = schema["components"]["schemas"]["PatchedInvestmentRequest"]["properties"]
    assert deal["announced_on"]["pattern"] == r"^\d{4}(-\d{2}(-\d{2})?)?$"
    assert {"type": "object", "properties": {"slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}},
            "required": ["slug"]} in deal["investors"]["items"]["oneOf"]  # fmt: skip
    assert "required" not in schema["components"]["schemas"]["Article"]
