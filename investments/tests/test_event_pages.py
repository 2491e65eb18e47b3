"""Events: the listing and the API give the same rows; pages and API lists cost the same queries at 1 and 50 rows;
bad filters and payloads are a clear 400."""

import datetime

import pytest
from rest_framework.test import APIClient

from articles.models import Article, Source
from investments.models import Event, EventOrganization, EventPerson, Investment, RecipientOrganization
from lenrnews.tests.query_counts import queries_with_1_and_50_rows
from organizations.models import Organization, Person, Technology

pytestmark = pytest.mark.django_db

KINDS = ["lawsuit_filed", "statement", "demonstration", "deal_status", "publication"]
LEVELS = ["confirmed", "reported", "rumored", "disputed", "denied"]


@pytest.fixture
def deal():
    return Investment.objects.create(title="A licence", slug="a-licence", kind="license")


def grow_events(deal):
    made = [0]

    def grow(count):
        organization = Organization.objects.get_or_create(name="Party Co", slug="party-co")[0]
        person = Person.objects.get_or_create(name="Party Person", slug="party-person")[0]
        technology = Technology.objects.get_or_create(name="Reactor", slug="reactor")[0]
        source = Source.objects.create(title="A report", speaker_organization=organization)
        article = Article.objects.create(
            title=f"Story {made[0]}", slug=f"story-{made[0]}", body="x", status="published",
            publish_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        )  # fmt: skip
        for _ in range(count):
            n = made[0] = made[0] + 1
            kind = KINDS[n % 5]
            event = Event.objects.create(
                title=f"Event {n:03d}",
                kind=kind,
                new_status="signed" if kind == "deal_status" else "",
                occurred_on=datetime.date(2010 + n % 10, 1 + n % 12, 1),
                confidence=LEVELS[n % 5],
            )
            EventOrganization.objects.create(event=event, organization=organization, role="plaintiff")
            EventPerson.objects.create(event=event, person=person, role="author")
            event.investments.add(deal)
            event.technologies.add(technology)
            event.sources.add(source)
            event.reported_in.add(article)

    return grow


@pytest.mark.parametrize("url", ["/events/", "/api/v1/events/", "/events/?confidence=disputed&kind=publication"])
def test_event_lists_cost_the_same_queries_for_1_and_50_rows(client, deal, url):
    (one, one_count), (fifty, fifty_count) = queries_with_1_and_50_rows(grow_events(deal), client.get, url)
    assert one.status_code == fifty.status_code == 200
    assert one_count == fifty_count


def test_an_event_page_and_a_deal_page_cost_the_same_queries_whatever_they_list(client, deal):
    def grow(count):
        for _ in range(count):
            organization = Organization.objects.create(name=f"Grantee {Organization.objects.count()}")
            RecipientOrganization.objects.create(investment=deal, organization=organization)
            event = Event.objects.create(title=f"Move {Event.objects.count()}", kind="deal_status", new_status="signed")
            event.investments.add(deal)
            EventOrganization.objects.create(event=event, organization=organization, role="party")

    (one, one_count), (fifty, fifty_count) = queries_with_1_and_50_rows(grow, client.get, deal.get_absolute_url())
    assert one.status_code == 200 and one_count == fifty_count
    event = Event.objects.first()
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200 and "A licence" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "wedding"},
        {"confidence": "sure"},
        {"min_confidence": "maybe"},
        {"year_min": "twenty"},
        {"year_max": "99999"},
        {"party": "nobody-here"},
        {"technology": "no-such-reactor"},
        {"deal": "no-such-deal"},
        {"self_claim": "perhaps"},
        {"ordering": "size"},
    ],
)
def test_a_bad_event_filter_is_a_400_on_the_page_and_the_api(client, deal, query):
    assert client.get("/events/", query).status_code == 400
    response = APIClient().get("/api/v1/events/", query)
    assert response.status_code == 400 and set(query) <= set(response.json())


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": "x", "kind": "wedding"}, "kind"),
        ({"title": "x", "kind": "statement", "confidence": "sure"}, "confidence"),
        ({"title": "x", "kind": "statement", "occurred_on": "yesterday"}, "occurred_on"),
        ({"title": "x", "kind": "statement", "parties": [{"organization": "nobody"}]}, "parties"),
        ({"title": "x", "kind": "statement", "parties": [{"role": "author"}]}, "parties"),
        ({"title": "x", "kind": "statement", "investments": ["no-such-deal"]}, "investments"),
        ({"title": "x", "kind": "statement", "sources": [999999]}, "sources"),
        ({"title": "", "kind": "statement"}, "title"),
    ],
)
def test_a_bad_event_payload_is_a_400_and_saves_nothing(editor, payload, field):
    api = APIClient()
    api.force_authenticate(editor)
    response = api.post("/api/v1/events/", payload, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Event.objects.exists()


def test_writing_events_needs_the_permission(writer):
    assert APIClient().post("/api/v1/events/", {"title": "x", "kind": "statement"}, format="json").status_code in (
        401,
        403,
    )
    api = APIClient()
    api.force_authenticate(writer)
    assert api.post("/api/v1/events/", {"title": "x", "kind": "statement"}, format="json").status_code == 403
    assert not Event.objects.exists()


def test_the_listing_and_the_api_give_the_same_rows(client, deal):
    grow_events(deal)(30)
    for query in ({}, {"kind": "statement"}, {"min_confidence": "reported"}, {"party": "Party Co", "role": "plaintiff"},
                  {"year_min": "2012", "year_max": "2015", "ordering": "title"}, {"self_claim": "true"}):  # fmt: skip
        for page in (1, 2):
            response = client.get("/events/", {**query, "page": page})
            if response.status_code == 404:
                continue
            on_page = [e.slug for e in response.context["page_obj"]]
            listed = APIClient().get("/api/v1/events/", {**query, "page": page}).json()["results"]
            assert on_page == [row["slug"] for row in listed], query
