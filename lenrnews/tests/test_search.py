import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.tests.factories import ArticleFactory
from investments.models import Investment
from lenrnews.search import filter_by_text, query_terms, snippet
from lenrnews.tests.seed import seed_world
from organizations.models import Organization, Person, Technology
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    '"',
    '"unclosed phrase',
    "&|!:*()",
    "!!!",
    "a & b | !c",
    "foo:*",
    "(((",
    "-",
    "or",
    "-or -",
    "'",
    "\u00fcnicode \u6c5f\u82cf \U0001f525",
    "Rossi\x00s",
    "\x00",
    "   ",
    "x" * 501,
    "word " * 200,
    "%_%",
    "\\",
    "<script>alert(1)</script>",
]


def slugs(queryset):
    return [row.slug for row in queryset]


@pytest.fixture
def world():
    return seed_world()


def test_baishishan_finds_the_article_the_park_and_the_deal(world, client):
    response = client.get("/search/", {"q": "Baishishan"})
    assert response.status_code == 200
    groups = {g["key"]: g for g in response.context["groups"]}
    assert slugs(groups["articles"]["results"]) == ["industrial-heat-china"]
    assert slugs(groups["organizations"]["results"]) == ["baishishan-park"]
    assert slugs(groups["deals"]["results"]) == ["industrial-heat-baishishan"]
    assert groups["articles"]["count"] == 1
    html = response.content.decode()
    assert "Industrial Heat signs deal to transfer LENR technology to China" in html
    assert 'href="/organizations/?q=Baishishan"' in html
    assert 'href="/articles/?q=Baishishan"' in html
    assert 'href="/investments/?q=Baishishan"' in html
    assert "See it in the organization listing" in html
    assert "badge--reported" in html.split('id="results-deals"')[1]  # a deal shows how sure we are


def test_see_all_links_into_the_filtered_listing_with_the_count(client):
    for n in range(7):
        OrganizationFactory(name=f"Nickel Works {n}")
    response = client.get("/search/", {"q": "nickel works"})
    (group,) = [g for g in response.context["groups"] if g["key"] == "organizations"]
    assert group["count"] == 7
    assert len(group["results"]) == 5
    html = response.content.decode()
    assert '<a href="/organizations/?q=nickel+works">See all 7 organizations →</a>' in html
    listing = client.get("/organizations/", {"q": "nickel works"})
    assert listing.context["paginator"].count == 7


def test_e_cat_finds_the_technology(world, client):
    response = client.get("/search/", {"q": "E-Cat"})
    groups = {g["key"]: g for g in response.context["groups"]}
    assert slugs(groups["technologies"]["results"]) == ["e-cat"]


def test_possessive_finds_the_person(world, client):
    for query in ["Rossi's", "Rossi\u2019s", "rossi"]:
        response = client.get("/search/", {"q": query})
        groups = {g["key"]: g for g in response.context["groups"]}
        assert "andrea-rossi" in slugs(groups["people"]["results"]), query


def test_part_of_a_name_or_an_alias_matches(world):
    assert slugs(filter_by_text(Organization.objects.all(), "Baishi", ["name"])) == ["baishishan-park"]
    assert slugs(filter_by_text(Organization.objects.all(), "Heat LLC", ["name"])) == ["industrial-heat"]
    assert slugs(filter_by_text(Technology.objects.all(), "catalyzer", ["name"])) == ["e-cat"]
    assert slugs(filter_by_text(Person.objects.all(), "Dard", ["name"])) == ["tom-darden"]


def test_drafts_review_and_scheduled_articles_never_appear(world, client):
    response = client.get("/search/", {"q": "Baishishan"})
    html = response.content.decode()
    for hidden in ("secret", "audit", "Scheduled"):
        assert hidden not in html
    response = client.get("/search/", {"q": "secret"})
    assert response.context["total"] == 0


def test_published_at_its_time_the_scheduled_article_is_found(world, client):
    import time_machine

    with time_machine.travel(world.scheduled.publish_at, tick=False):
        response = client.get("/search/", {"q": "opens"})
    groups = {g["key"]: g for g in response.context["groups"]}
    assert slugs(groups["articles"]["results"]) == ["scheduled-baishishan"]


def test_title_hits_rank_above_standfirst_above_body():
    body = ArticleFactory(title="Weekly news", standfirst="Other things.", body="The word palladium is here.")
    standfirst = ArticleFactory(title="Monthly news", standfirst="All about palladium.", body="Nothing.")
    title = ArticleFactory(title="Palladium loading results", standfirst="Results.", body="Nothing.")
    found = filter_by_text(Article.objects.published(), "palladium", ["title"])
    assert slugs(found) == [title.slug, standfirst.slug, body.slug]


def test_name_hits_rank_above_summary_hits():
    in_summary = OrganizationFactory(name="Acme", summary="Works on Brillouin reactors.")
    in_name = OrganizationFactory(name="Brillouin Energy", summary="A company.")
    assert slugs(filter_by_text(Organization.objects.all(), "Brillouin", ["name"])) == [in_name.slug, in_summary.slug]


def test_every_word_must_match(world):
    assert slugs(filter_by_text(Organization.objects.all(), "Industrial Heat", ["name"])) == ["industrial-heat"]
    assert slugs(filter_by_text(Organization.objects.all(), "Industrial zebra", ["name"])) == []


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_never_fail(world, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    for model in (Article, Organization, Person, Technology, Investment):
        list(filter_by_text(model.objects.all(), query, ["slug"]))


def listing_filters():
    from articles.filters import ArticleFilter, SourceFilter
    from articles.models import Source
    from investments.filters import InvestmentFilter
    from organizations.filters import OrganizationFilter, PersonFilter, TechnologyFilter

    return [
        (ArticleFilter, Article.objects.published()),
        (OrganizationFilter, Organization.objects.with_deal_stats()),
        (PersonFilter, Person.objects.all()),
        (TechnologyFilter, Technology.objects.all()),
        (InvestmentFilter, Investment.objects.all()),
        (SourceFilter, Source.objects.all()),
    ]


@pytest.mark.parametrize("query", ["&|!:*()", '"', "x" * 600, "\u00fcnicode \U0001f525", "Rossi's", "-or"])
def test_listing_q_filters_take_odd_queries(world, query):
    for filterset_class, queryset in listing_filters():
        filterset = filterset_class(data={"q": query}, queryset=queryset)
        assert filterset.is_valid(), filterset.errors
        list(filterset.qs)


def test_listing_q_filters_find_what_search_finds(world, client):
    search = {g["key"]: g for g in client.get("/search/", {"q": "Baishishan"}).context["groups"]}
    found = {}
    for filterset_class, queryset in listing_filters():
        found[queryset.model._meta.model_name] = slugs(filterset_class(data={"q": "Baishishan"}, queryset=queryset).qs)
    assert found["organization"] == slugs(search["organizations"]["results"]) == ["baishishan-park"]
    assert found["article"] == slugs(search["articles"]["results"]) == ["industrial-heat-china"]
    assert found["investment"] == slugs(search["deals"]["results"]) == ["industrial-heat-baishishan"]
    response = client.get("/articles/", {"q": "Baishishan"})
    assert slugs(response.context["object_list"]) == ["industrial-heat-china"]


@pytest.mark.parametrize("query", ["!!!", "&|!:*()", '""', "-", "\x00"])
def test_a_query_without_words_searches_nothing(world, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert response.context["groups"] == []
    # A listing treats it as no text filter, the same on every database.
    assert filter_by_text(Organization.objects.all(), query, ["name"]).count() == Organization.objects.count()


def test_a_long_query_is_shortened_with_a_notice(world, client):
    response = client.get("/search/", {"q": "Baishishan " + "x" * 600})
    assert response.status_code == 200
    assert len(response.context["query"]) == 500
    assert "only the first 500 were used" in response.content.decode()


def test_empty_query_shows_the_form_without_searching(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/search/", {"q": "  "})
    assert response.status_code == 200
    assert response.context["groups"] == []


def test_snippets_mark_the_words_and_escape_the_text(client):
    ArticleFactory(
        title="A note",
        standfirst="",
        body="Before <script>alert('x')</script> the palladium cell ran & stopped.",
    )
    response = client.get("/search/", {"q": "palladium"})
    html = response.content.decode()
    assert "<mark>palladium</mark>" in html
    # PostgreSQL's headline drops the tag, the SQLite snippet escapes it: never markup.
    assert "<script" not in html
    assert "cell ran &amp; stopped" in html


def test_snippet_never_lets_markup_through():
    article = ArticleFactory(body='**Bold** claim: <img src=x onerror="alert(1)"> palladium')
    html = str(snippet(article, "palladium"))
    assert "<img" not in html
    assert "<mark>palladium</mark>" in html
    assert "**" not in html


def test_query_terms_drop_possessives_and_punctuation():
    assert query_terms("Rossi's E-Cat!") == ["Rossi", "E-Cat"]
    assert query_terms("&|!:*()") == []
    assert query_terms("a\x00b") == ["ab"]


def _search_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": query}).status_code == 200
    return len(queries)


def test_search_runs_a_fixed_number_of_queries(client):
    ArticleFactory(title="Nickel story 0")
    OrganizationFactory(name="Nickel Works 0")
    one = _search_queries(client, "nickel")
    for n in range(1, 50):
        ArticleFactory(title=f"Nickel story {n}")
        OrganizationFactory(name=f"Nickel Works {n}")
    many = _search_queries(client, "nickel")
    assert one == many
    assert many <= 12


def test_minus_excludes_a_word_and_or_is_not_a_word(world):
    found = slugs(filter_by_text(Organization.objects.all(), "Industrial -park", ["name"]))
    assert found == ["industrial-heat"]
    assert slugs(filter_by_text(Organization.objects.all(), "Industrial -Heat", ["name"])) == []
    assert "baishishan-park" not in slugs(filter_by_text(Organization.objects.all(), "-Baishishan", ["name"]))
    assert slugs(filter_by_text(Person.objects.all(), "Rossi or", ["name"])) == ["andrea-rossi"]


def test_quoted_phrase_finds_the_article(world):
    found = filter_by_text(Article.objects.published(), '"technology park"', ["title"])
    assert slugs(found) == ["industrial-heat-china"]


def test_listing_q_keeps_the_listings_order(client):
    """A listing filtered by text is still newest first (or A to Z), not by relevance:
    /search/ ranks, a listing only narrows."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    older = ArticleFactory(title="Palladium loading results", publish_at=now - timedelta(days=2))
    newer = ArticleFactory(title="Weekly news", body="The word palladium is here.", publish_at=now - timedelta(days=1))
    response = client.get("/articles/", {"q": "palladium"})
    assert slugs(response.context["object_list"]) == [newer.slug, older.slug]
    search = {g["key"]: g for g in client.get("/search/", {"q": "palladium"}).context["groups"]}
    assert slugs(search["articles"]["results"]) == [older.slug, newer.slug]
    OrganizationFactory(name="Acme", summary="Works on Brillouin reactors.")
    OrganizationFactory(name="Brillouin Energy", summary="A company.")
    listing = client.get("/organizations/", {"q": "Brillouin"})
    assert [o.name for o in listing.context["object_list"]] == ["Acme", "Brillouin Energy"]


PAGES = ["/", "/articles/", "/organizations/", "/people/", "/technologies/", "/investments/", "/search/?q=Baishishan"]


@pytest.mark.parametrize("url", PAGES + ["/api/v1/articles/", "/api/v1/organizations/", "/api/v1/investments/"])
def test_pages_never_load_the_stored_vectors(world, client, url):
    """Only the database reads an article's search_vector (kilobytes per article); no
    page copies it out. (Rows joined with select_related still bring their entity's
    small vector along.)"""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # The columns each query selects (a rank computed from the vector is not the vector).
    selected = [q["sql"].split(" FROM ")[0].split(", ") for q in queries.captured_queries]
    assert not [columns for columns in selected if '"articles_article"."search_vector"' in columns], url
    organizations = [columns for columns in selected if columns[0] == 'SELECT "organizations_organization"."id"']
    assert not [columns for columns in organizations if '"organizations_organization"."search_vector"' in columns]
