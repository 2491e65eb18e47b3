"""Deals through the API: money, investors, filters."""

import datetime
from decimal import Decimal

import pytest

from investments.models import Event, Investment
from investments.tests.factories import EventFactory, InvestmentFactory
from lenrnews.tests.api_support import API, client_for, editor
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_creating_a_deal_with_a_token():
    OrganizationFactory(slug="cherokee")
    OrganizationFactory(slug="industrial-heat")
    PersonFactory(slug="tom-darden")
    TechnologyFactory(slug="e-cat")
    response = client_for(editor()).post(
        f"{API}investments/",
        {
            "title": "Baishishan invests in Industrial Heat's partner",
            "kind": "government_funding",
            "investors": ["cherokee"],
            "investor_people": ["tom-darden"],
            "recipients": ["industrial-heat"],
            "technologies": ["e-cat"],
            "amount": "121000000",
            "currency": "CNY",
            "amount_usd": "19000000",
            "announced_on": "2016-06-01",
            "date_precision": "month",
            "confidence": "rumored",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "baishishan-invests-in-industrial-heats-partner"
    assert response["Location"] == f"http://testserver{API}investments/{data['slug']}/"
    assert (data["amount"], data["currency"], data["amount_usd"]) == ("121000000.00", "CNY", "19000000.00")
    assert data["date_display"] == "Jun 2016"
    assert [i["slug"] for i in data["investors"]] == ["cherokee"]
    assert [i["slug"] for i in data["investor_people"]] == ["tom-darden"]
    assert [r["url"] for r in data["recipients"]] == ["http://testserver/organizations/industrial-heat/"]
    assert data["recipient_people"] == []
    assert [(p["side"], (p["organization"] or p["person"])["slug"]) for p in data["parties"]] == [
        ("investor", "cherokee"),
        ("investor", "tom-darden"),
        ("recipient", "industrial-heat"),
    ]
    assert (data["status"], data["status_display"], data["lifecycle"]) == ("announced", "Announced", [])
    deal = Investment.objects.get()
    assert deal.amount_usd == Decimal("19000000")


def test_a_deal_s_parties_carry_the_lead_and_their_own_parts():
    OrganizationFactory(slug="cherokee")
    OrganizationFactory(slug="industrial-heat")
    OrganizationFactory(slug="baishishan-park")
    PersonFactory(slug="tom-darden")
    parties = [
        {"side": "investor", "organization": "cherokee", "is_lead": True, "amount": "30000000"},
        {"side": "investor", "person": "tom-darden", "amount": "20000000"},
        {"side": "recipient", "organization": "industrial-heat"},
        {"side": "recipient", "organization": "baishishan-park", "amount": "5000000"},
    ]
    client = client_for(editor())
    response = client.post(
        f"{API}investments/",
        {"title": "Round", "kind": "equity", "amount": "50000000", "parties": parties},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert [i["slug"] for i in data["investors"]] == ["cherokee"]
    assert [i["slug"] for i in data["investor_people"]] == ["tom-darden"]
    assert sorted(r["slug"] for r in data["recipients"]) == ["baishishan-park", "industrial-heat"]
    by_party = {(p["organization"] or p["person"])["slug"]: p for p in data["parties"]}
    assert by_party["cherokee"]["is_lead"] and not by_party["tom-darden"]["is_lead"]
    assert by_party["cherokee"]["amount_usd"] == "30000000.00", "a USD deal's parts are in USD too"
    assert by_party["industrial-heat"]["amount"] is None
    assert by_party["baishishan-park"]["amount"] == "5000000.00"

    response = client.post(
        f"{API}investments/",
        {"title": "Both", "kind": "equity", "parties": parties, "investors": ["industrial-heat"]},
        format="json",
    )
    assert response.status_code == 400, "the parties and the list of investors disagree"
    assert list(response.json()) == ["investors"]
    response = client.post(
        f"{API}investments/",
        {"title": "Nobody", "kind": "equity", "parties": [{"side": "investor"}]},
        format="json",
    )
    assert response.status_code == 400
    assert Investment.objects.count() == 1


def test_usd_deals_derive_amount_usd():
    response = client_for(editor()).post(
        f"{API}investments/", {"title": "Cash", "kind": "equity", "amount": "1000.50"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["amount_usd"] == "1000.50"
    response = client_for(editor()).patch(f"{API}investments/cash/", {"amount_usd": "5"}, format="json")
    assert response.status_code == 400
    assert "amount_usd" in response.json()


@pytest.mark.parametrize(
    "payload, fields",
    [({"title": "X", "kind": "bribe"}, {"kind"}), ({"title": "X", "kind": "equity", "amount": "-1"}, {"amount"}),
     ({"title": "X", "kind": "equity", "currency": "XXQ"}, {"currency"}),
     ({"title": "X", "kind": "equity", "investors": ["nobody"]}, {"investors"}),
     ({"title": "X", "kind": "equity", "amount": "12345678901234567890"}, {"amount"}),
     ({"title": "X", "kind": "equity", "announced_on": "2015-13-45"}, {"announced_on"}),
     ({"kind": "equity"}, {"title"})],
)  # fmt: skip
def test_bad_deal_payloads_are_400s_naming_the_fields(payload, fields):
    response = client_for(editor()).post(f"{API}investments/", payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert not Investment.objects.exists()


def test_deal_filters_are_the_page_s():
    heat = OrganizationFactory(slug="industrial-heat", country="US")
    cherokee = OrganizationFactory(slug="cherokee")
    InvestmentFactory(
        slug="big", recipients=[heat], amount=Decimal("50000000"), investors=[cherokee], confidence="confirmed"
    )
    InvestmentFactory(slug="small", recipients=[heat], amount=Decimal("10"), confidence="rumored")
    client = client_for()
    assert slugs(client.get(f"{API}investments/", {"investor": "cherokee"})) == ["big"]
    assert slugs(client.get(f"{API}investments/", {"recipient": "cherokee"})) == []
    assert set(slugs(client.get(f"{API}investments/", {"recipient": "industrial-heat"}))) == {"big", "small"}
    assert slugs(client.get(f"{API}investments/", {"amount_min": "1000"})) == ["big"]
    assert slugs(client.get(f"{API}investments/", {"min_confidence": "reported"})) == ["big"]
    assert slugs(client.get(f"{API}investments/", {"ordering": "amount"})) == ["small", "big"]
    response = client.get(f"{API}investments/", {"investor": "nobody", "year_min": "twenty", "amount_max": "-5"})
    assert response.status_code == 400
    assert set(response.json()) == {"investor", "year_min", "amount_max"}


def test_a_deal_s_status_and_lifecycle_come_from_its_status_moves():
    deal = InvestmentFactory(slug="round")
    EventFactory(
        slug="round-completed",
        title="Round completed",
        kind=Event.Kind.DEAL_STATUS,
        new_status=Investment.Status.COMPLETED,
        occurred_on=datetime.date(2016, 6, 2),
        investments=[deal],
    )
    EventFactory(kind=Event.Kind.ANNOUNCEMENT, investments=[deal])  # not a status move

    data = client_for().get(f"{API}investments/round/").json()

    assert (data["status"], data["status_display"]) == ("completed", "Completed, reported, 2 Jun 2016")
    [move] = data["lifecycle"]
    assert (move["slug"], move["new_status"], move["date_display"]) == ("round-completed", "completed", "2 Jun 2016")
    assert move["url"] == "http://testserver/events/round-completed/"
    response = client_for(editor()).patch(f"{API}investments/round/", {"status": "lapsed"}, format="json")
    assert response.status_code == 400, "the status is derived, never written"
    assert "read-only" in response.json()["status"][0]
    response = client_for(editor()).patch(f"{API}investments/round/", {"status": "completed"}, format="json")
    assert response.status_code == 200, "a deal sent back as it reads is accepted"
    assert response.json()["status"] == "completed"
    assert slugs(client_for().get(f"{API}investments/", {"status": "completed"})) == ["round"]
