"""Mentions through the API: /api/v1/articles/<slug>/mentions/ shows where they stand and
confirms or rejects one; writing an article's mention lists corrects detection as the admin
does. A rejection sticks whichever door saves next."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.mentions import article_detect_mentions
from articles.models import AmbiguousMention
from articles.tests.factories import UserFactory
from lenrnews.tests.api_support import API, client_for, draft, editor, writer
from organizations.tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def field():
    rossi = PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi")
    corp = OrganizationFactory(name="Leonardo Corporation", slug="leonardo-corporation", aliases="Leonardo")
    spa = OrganizationFactory(name="Leonardo S.p.A.", slug="leonardo-spa", aliases="Leonardo")
    AffiliationFactory(person=rossi, organization=corp)
    return {"rossi": rossi, "corp": corp, "spa": spa}


@pytest.fixture
def article(field):
    article = draft(slug="leonardo-results", title="Results", standfirst="", body="Leonardo announced results.")
    article_detect_mentions(article=article)
    return article


def mentions_url(article):
    return f"{API}articles/{article.slug}/mentions/"


def slugs(entries):
    return sorted(entry["slug"] for entry in entries)


NONE: dict[str, list[str]] = {"organizations": [], "people": [], "technologies": []}


def test_an_editor_reads_where_the_mentions_stand(article):
    response = client_for(editor()).get(mentions_url(article))
    assert response.status_code == 200
    data = response.json()
    assert (data["organizations"], data["people"], data["technologies"]) == ([], [], [])
    assert data["rejected"] == NONE
    (ambiguity,) = data["ambiguous"]
    assert ambiguity["name"] == "Leonardo"
    assert "Leonardo announced results." in ambiguity["excerpt"]
    candidates = ambiguity["candidates"]
    assert slugs(candidates["organizations"]) == ["leonardo-corporation", "leonardo-spa"]
    assert (candidates["people"], candidates["technologies"]) == ([], [])
    assert candidates["organizations"][0]["url"].startswith("http://testserver/organizations/")


def test_confirming_a_candidate_resolves_the_ambiguous_name(article, field):
    response = client_for(writer()).post(
        mentions_url(article), {"action": "confirm", "organization": "leonardo-spa"}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["ambiguous"] == []
    assert [(m["slug"], m["detected"]) for m in data["organizations"]] == [("leonardo-spa", False)]
    assert list(article.organizations.all()) == [field["spa"]]


def test_rejecting_one_candidate_leaves_the_name_to_the_other(article, field):
    response = client_for(editor()).post(
        mentions_url(article), {"action": "reject", "organization": "leonardo-spa"}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["ambiguous"] == []
    assert [(m["slug"], m["detected"]) for m in data["organizations"]] == [("leonardo-corporation", True)]
    assert slugs(data["rejected"]["organizations"]) == ["leonardo-spa"]


def test_a_rejection_through_the_api_sticks_after_detection_runs_again(field, django_capture_on_commit_callbacks):
    article = draft(slug="rossi", title="Plain", standfirst="", body="Rossi spoke.")
    article_detect_mentions(article=article)
    client = client_for(editor())
    response = client.post(mentions_url(article), {"action": "reject", "person": "andrea-rossi"}, format="json")
    assert response.status_code == 200
    assert list(article.people.all()) == []

    assert client.patch(f"{API}articles/rossi/", {"body": "Rossi, and Rossi again."}, format="json").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        field["rossi"].aliases = "Rossi\nA. Rossi"
        field["rossi"].save()
    assert list(article.people.all()) == []
    assert slugs(client.get(mentions_url(article)).json()["rejected"]["people"]) == ["andrea-rossi"]


def test_confirming_lifts_a_rejection(field):
    article = draft(slug="rossi", title="Plain", standfirst="", body="Rossi spoke.")
    client = client_for(editor())
    client.post(mentions_url(article), {"action": "reject", "person": "andrea-rossi"}, format="json")
    response = client.post(mentions_url(article), {"action": "confirm", "person": "andrea-rossi"}, format="json")
    assert [(m["slug"], m["detected"]) for m in response.json()["people"]] == [("andrea-rossi", False)]
    assert response.json()["rejected"] == NONE


def test_removing_a_detected_mention_from_the_article_list_rejects_it(field):
    """PATCH organizations/people/technologies: the same correction as deleting the row in the admin."""
    ecat = TechnologyFactory(name="E-Cat", slug="e-cat")
    article = draft(slug="rossi", title="Plain", standfirst="", body="Rossi and the E-Cat.")
    article_detect_mentions(article=article)
    client = client_for(editor())
    response = client.patch(f"{API}articles/rossi/", {"people": [], "technologies": ["e-cat"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["people"] == []
    assert list(article.rejected_people.all()) == [field["rossi"]]
    assert list(article.technologies.all()) == [ecat]
    client.patch(f"{API}articles/rossi/", {"body": "Rossi and the E-Cat, again."}, format="json")
    assert list(article.people.all()) == []


def test_adding_a_mention_to_the_article_list_keeps_it(field):
    article = draft(slug="plain", title="Plain", standfirst="", body="No names here.")
    client = client_for(editor())
    response = client.patch(f"{API}articles/plain/", {"organizations": ["leonardo-spa"]}, format="json")
    assert response.status_code == 200
    client.patch(f"{API}articles/plain/", {"body": "Still no names."}, format="json")
    assert list(article.organizations.all()) == [field["spa"]]
    assert client.get(mentions_url(article)).json()["organizations"][0]["detected"] is False


# --- Who may ---------------------------------------------------------------------------


def test_anonymous_callers_get_401_and_change_nothing(article):
    anonymous = client_for()
    assert anonymous.get(mentions_url(article)).status_code == 401
    response = anonymous.post(
        mentions_url(article), {"action": "reject", "organization": "leonardo-spa"}, format="json"
    )
    assert response.status_code == 401
    assert "WWW-Authenticate" in response
    assert article.rejected_organizations.count() == 0


def test_a_reader_account_gets_403_and_changes_nothing(article):
    reader = client_for(UserFactory(username="reader"))
    assert reader.get(mentions_url(article)).status_code == 403
    response = reader.post(mentions_url(article), {"action": "confirm", "organization": "leonardo-spa"}, format="json")
    assert response.status_code == 403
    assert article.organizations.count() == 0
    assert AmbiguousMention.objects.filter(article=article).exists()


def test_an_unknown_article_is_a_404(field):
    assert client_for(editor()).get(f"{API}articles/no-such-article/mentions/").status_code == 404


# --- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"action"}),
        ({"action": "confirm"}, {"non_field_errors"}),  # which entity?
        ({"action": "confirm", "organization": "leonardo-spa", "person": "andrea-rossi"}, {"non_field_errors"}),
        ({"action": "delete", "organization": "leonardo-spa"}, {"action"}),
        ({"action": "confirm", "person": "leonardo-spa"}, {"person"}),  # an organization's slug
        ({"action": "confirm", "organization": "no-such-one"}, {"organization"}),
        ({"action": "confirm", "organization": "bad\x00slug"}, {"organization"}),
        ({"action": ["confirm"], "technology": {}}, {"action", "technology"}),
    ],
)
def test_bad_corrections_are_400s_naming_the_field(article, payload, fields):
    response = client_for(editor()).post(mentions_url(article), payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert article.organizations.count() == 0 and article.rejected_organizations.count() == 0


def test_a_body_that_is_not_json_is_a_400(article):
    response = client_for(editor()).post(mentions_url(article), "{not json", content_type="application/json")
    assert response.status_code == 400


def test_reading_the_mentions_runs_a_fixed_number_of_queries(field):
    client = client_for(editor())

    def count(entities):
        article = draft(slug=f"names-{entities}", title="Plain", standfirst="", body="Leonardo announced.")
        article_detect_mentions(article=article)
        for i in range(entities):
            organization = OrganizationFactory(name=f"Company {entities}-{i}", slug=f"company-{entities}-{i}")
            person = PersonFactory(name=f"Person {entities}-{i}", slug=f"person-{entities}-{i}")
            article.organizations.add(organization)
            article.rejected_people.add(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(mentions_url(article)).status_code == 200
        return len(queries)

    assert count(1) == count(50)


def test_the_schema_documents_the_mentions_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/articles/{slug}/mentions/"]
    assert set(operations) >= {"get", "post"}
    assert {"200", "400", "401", "403", "404"} <= set(operations["post"]["responses"])
    assert {"200", "401", "403", "404"} <= set(operations["get"]["responses"])
    request = operations["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][request]["properties"]) == {
        "action",
        "organization",
        "person",
        "technology",
    }
