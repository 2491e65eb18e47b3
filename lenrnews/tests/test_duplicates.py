"""Duplicate guards on the API: a create that looks like a stored record is a 409 with the candidates,
unless the request says ``confirm_distinct: true``."""

import datetime

import pytest

from articles.tests.factories import SourceFactory
from investments.models import Event, EventOrganization, Investment
from lenrnews.duplicates import date_span, spans_overlap
from lenrnews.tests.api_support import API, client_for, editor
from organizations.models import Organization, Person, Technology
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

NAMED = [
    ("organizations", OrganizationFactory, Organization),
    ("people", PersonFactory, Person),
    ("technologies", TechnologyFactory, Technology),
]


@pytest.fixture
def api():
    return client_for(editor())


@pytest.mark.parametrize(("resource", "factory", "model"), NAMED)
@pytest.mark.parametrize(
    "payload",
    [
        {"name": "industrial heat"},  # its name
        {"name": "I.H."},  # its alias
        {"name": "Industrial Heat Holdings", "aliases": ["INDUSTRIAL-HEAT"]},  # an alias of ours is its name
        {"name": "IH Holdings", "aliases": ["Industrial Heat, L.L.C."]},  # an alias of ours is its alias
    ],
)
def test_a_name_or_alias_another_has_is_a_409_with_the_candidates(api, resource, factory, model, payload):
    factory(name="Industrial Heat", slug="industrial-heat", aliases="IH\nIndustrial Heat LLC")
    response = api.post(f"{API}{resource}/", payload, format="json")
    assert response.status_code == 409, response.content
    body = response.json()
    assert [c["slug"] for c in body["candidates"]] == ["industrial-heat"]
    candidate = body["candidates"][0]
    assert candidate["name"] == "Industrial Heat"
    assert candidate["url"].startswith("http://testserver/") and candidate["url"].endswith("/industrial-heat/")
    assert body["hint"] == "send confirm_distinct: true to create it anyway"
    assert "Industrial Heat (industrial-heat)" in body["detail"]
    assert model.objects.count() == 1

    # Confirmed, it is created (under a slug of its own: the one made from the name may be taken).
    confirmed = api.post(
        f"{API}{resource}/", {**payload, "slug": "another-one", "confirm_distinct": True}, format="json"
    )
    assert confirmed.status_code == 201, confirmed.content
    assert "confirm_distinct" not in confirmed.json()
    assert model.objects.count() == 2


@pytest.mark.parametrize(("resource", "factory", "model"), NAMED)
def test_a_different_name_is_created_and_an_edit_is_not_guarded(api, resource, factory, model):
    factory(name="Industrial Heat", slug="industrial-heat")
    other = factory(name="Cherokee", slug="cherokee")
    assert api.post(f"{API}{resource}/", {"name": "Industrial Heat Research"}, format="json").status_code == 201
    # Renaming is not creating: no guard (merging is the tool for two records of one thing).
    response = api.patch(f"{API}{resource}/{other.slug}/", {"aliases": ["Industrial Heat"]}, format="json")
    assert response.status_code == 200, response.content
    refused = api.patch(f"{API}{resource}/{other.slug}/", {"confirm_distinct": True}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"confirm_distinct": ["Only for creating a record."]}


def test_another_kind_of_entity_with_the_name_is_no_duplicate(api):
    TechnologyFactory(name="Brillouin", slug="brillouin")
    assert api.post(f"{API}organizations/", {"name": "Brillouin"}, format="json").status_code == 201


def test_invalid_fields_are_a_400_before_any_409(api):
    OrganizationFactory(name="Industrial Heat")
    response = api.post(f"{API}organizations/", {"name": "Industrial Heat", "kind": "pirate"}, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()


def test_a_source_whose_normalized_address_or_doi_exists_is_a_409(api):
    report = SourceFactory(title="IH in China", url="https://www.e-catworld.com/2015/10/20/ih-china/")
    paper = SourceFactory(title="A paper", url="", doi="10.1016/j.physletb.2010.01.001")
    response = api.post(
        f"{API}sources/",
        {"title": "Copy", "url": "http://e-catworld.com/2015/10/20/ih-china?utm_source=rss"},
        format="json",
    )
    assert response.status_code == 409, response.content
    [candidate] = response.json()["candidates"]
    assert candidate["id"] == report.pk
    assert candidate["url"] == f"http://testserver{API}sources/{report.pk}/"
    assert candidate["matched"].startswith("address")

    by_doi = api.post(
        f"{API}sources/",
        {"title": "Same paper", "doi": "https://doi.org/10.1016/J.PHYSLETB.2010.01.001"},
        format="json",
    )
    assert by_doi.status_code == 409
    assert [c["id"] for c in by_doi.json()["candidates"]] == [paper.pk]

    # Sources without an address are never duplicates of each other by address.
    assert api.post(f"{API}sources/", {"title": "Untitled", "url": ""}, format="json").status_code == 201
    assert api.post(f"{API}sources/", {"title": "Untitled", "url": ""}, format="json").status_code == 201
    confirmed = api.post(
        f"{API}sources/", {"title": "Copy", "url": report.url, "confirm_distinct": True}, format="json"
    )
    assert confirmed.status_code == 201


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((datetime.date(2015, 1, 1), "year"), (datetime.date(2015, 10, 20), "day"), True),
        ((datetime.date(2015, 1, 1), "year"), (datetime.date(2016, 1, 1), "day"), False),
        ((datetime.date(2015, 10, 1), "month"), (datetime.date(2015, 10, 31), "day"), True),
        ((datetime.date(2015, 10, 1), "month"), (datetime.date(2015, 11, 1), "month"), False),
        ((datetime.date(2015, 10, 20), "day"), (datetime.date(2015, 10, 21), "day"), False),
        ((None, "day"), (datetime.date(2015, 10, 21), "day"), True),
    ],
)
def test_dates_overlap_within_their_precision(a, b, overlap):
    assert spans_overlap(date_span(*a), date_span(*b)) is overlap


def deal(**kwargs):
    investors = kwargs.pop("investors", [])
    recipients = kwargs.pop("recipients", [])
    people = kwargs.pop("investor_people", [])
    row = Investment.objects.create(**kwargs)
    row.investors.add(*investors)
    row.recipients.add(*recipients)
    row.investor_people.add(*people)
    return row


@pytest.fixture
def parties():
    return {
        "ih": OrganizationFactory(name="Industrial Heat", slug="industrial-heat"),
        "park": OrganizationFactory(name="Baishishan park", slug="baishishan"),
        "cherokee": OrganizationFactory(name="Cherokee", slug="cherokee"),
        "darden": PersonFactory(name="Tom Darden", slug="tom-darden"),
    }


def test_a_deal_of_the_same_kind_parties_and_overlapping_date_is_a_409(api, parties):
    stored = deal(
        title="IH joins the park",
        slug="ih-joins-the-park",
        kind="technology_transfer",
        announced_on=datetime.date(2015, 1, 1),
        date_precision="year",
        investors=[parties["ih"]],
        recipients=[parties["park"]],
    )
    payload = {
        "title": "Industrial Heat signs with Baishishan",
        "kind": "technology_transfer",
        "investors": ["industrial-heat"],
        "recipients": ["baishishan"],
        "announced_on": "2015-10-20",
        "date_precision": "day",
    }
    response = api.post(f"{API}investments/", payload, format="json")
    assert response.status_code == 409, response.content
    [candidate] = response.json()["candidates"]
    assert (candidate["slug"], candidate["name"]) == (stored.slug, stored.title)
    assert candidate["url"] == "http://testserver/investments/ih-joins-the-park/"

    # The same parties written as party rows are the same parties.
    rows = {
        **{k: v for k, v in payload.items() if k not in ("investors", "recipients")},
        "parties": [
            {"side": "investor", "organization": "industrial-heat"},
            {"side": "recipient", "organization": "baishishan"},
        ],
    }
    assert api.post(f"{API}investments/", rows, format="json").status_code == 409

    distinct = [
        {**payload, "kind": "license"},  # another kind
        {**payload, "announced_on": "2016-02-01"},  # another year
        {**payload, "investors": ["industrial-heat", "cherokee"]},  # another set of parties
        {**payload, "investors": ["baishishan"], "recipients": ["industrial-heat"]},  # the sides swapped
        {**payload, "investor_people": ["tom-darden"]},
    ]
    for n, other in enumerate(distinct):
        response = api.post(f"{API}investments/", {**other, "slug": f"other-{n}"}, format="json")
        assert response.status_code == 201, (other, response.content)
    confirmed = api.post(f"{API}investments/", {**payload, "confirm_distinct": True}, format="json")
    assert confirmed.status_code == 201


def test_a_deal_in_the_trash_or_without_parties_is_no_candidate(api, parties):
    trashed = deal(title="Old", slug="old", kind="equity", investors=[parties["cherokee"]], recipients=[parties["ih"]])
    trashed.trash()
    payload = {"title": "New", "kind": "equity", "investors": ["cherokee"], "recipients": ["industrial-heat"]}
    assert api.post(f"{API}investments/", payload, format="json").status_code == 201
    deal(title="Framework", slug="framework", kind="grant", announced_on=datetime.date(2015, 3, 1))
    assert api.post(f"{API}investments/", {"title": "Framework 2", "kind": "grant"}, format="json").status_code == 201


def test_an_event_of_the_same_kind_parties_and_overlapping_date_is_a_409(api, parties):
    stored = Event.objects.create(
        title="Rossi sues IH",
        slug="rossi-sues-ih",
        kind="lawsuit_filed",
        occurred_on=datetime.date(2016, 4, 1),
        date_precision="month",
    )
    EventOrganization.objects.create(event=stored, organization=parties["ih"], role="defendant")
    payload = {
        "title": "Lawsuit against Industrial Heat",
        "kind": "lawsuit_filed",
        "occurred_on": "2016-04-05",
        "parties": [{"organization": "industrial-heat", "role": "defendant"}],
    }
    response = api.post(f"{API}events/", payload, format="json")
    assert response.status_code == 409, response.content
    assert [c["slug"] for c in response.json()["candidates"]] == ["rossi-sues-ih"]
    other_month = api.post(f"{API}events/", {**payload, "occurred_on": "2016-05-05"}, format="json")
    assert other_month.status_code == 201
    confirmed = api.post(f"{API}events/", {**payload, "slug": "second-suit", "confirm_distinct": True}, format="json")
    assert confirmed.status_code == 201
