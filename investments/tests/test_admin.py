"""Recording a deal in the admin: investors, stakes and sources picked by name, bad input as form errors."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleFactory, SourceFactory
from investments.models import Investment, InvestorOrganization, InvestorPerson, RecipientOrganization
from lenrnews.models import Confidence
from lenrnews.tests.admin_forms import form_errors, inline_management
from organizations.models import TechnologyStake
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:investments_investment_add")


@pytest.fixture
def parties():
    return {
        "investor": OrganizationFactory(name="Industrial Heat", aliases="IH"),
        "recipient": OrganizationFactory(name="Baishishan park", kind="technology_park", country="CN"),
        "person": PersonFactory(name="Tom Darden"),
        "technology": TechnologyFactory(name="E-Cat"),
        "source": SourceFactory(publisher="HydroFusion"),
        "article": ArticleFactory(),
    }


def deal_form(parties, **overrides):
    data = {
        "title": "Industrial Heat joins Baishishan park",
        "slug": "industrial-heat-joins-baishishan-park",
        "kind": Investment.Kind.TECHNOLOGY_TRANSFER,
        "technologies": [parties["technology"].pk],
        "amount": "",
        "currency": "USD",
        "amount_usd": "",
        "announced_on": "2015-10-20",
        "date_precision": "day",
        "summary": "",
        "confidence": Confidence.REPORTED,
        "sources": [parties["source"].pk],
        "reported_in": [parties["article"].pk],
        "notes": "",
        **inline_management("investororganization_set", total=1),
        "investororganization_set-0-organization": parties["investor"].pk,
        **inline_management("investorperson_set", total=1),
        "investorperson_set-0-person": parties["person"].pk,
        **inline_management("recipientorganization_set", total=1),
        "recipientorganization_set-0-organization": parties["recipient"].pk,
        **inline_management("recipientperson_set"),
        **inline_management("Event_investments"),
        **inline_management("stakes", total=1),
        "stakes-0-organization": parties["investor"].pk,
        "stakes-0-technology": parties["technology"].pk,
        "stakes-0-kind": TechnologyStake.Kind.LICENSEE,
        "stakes-0-since": "2015-10-20",
        "stakes-0-since_precision": "day",
        "stakes-0-until_precision": "day",
        "stakes-0-confidence": Confidence.REPORTED,
        "stakes-0-notes": "",
    }
    data.update(overrides)
    return data


def nothing_saved():
    return not (
        Investment.objects.exists()
        or InvestorOrganization.objects.exists()
        or InvestorPerson.objects.exists()
        or RecipientOrganization.objects.exists()
        or TechnologyStake.objects.exists()
    )


def test_the_add_page_offers_autocomplete_for_every_relation(admin_client):
    content = admin_client.get(ADD_URL).content.decode()
    for name in [
        "technologies",
        "sources",
        "reported_in",
        "investororganization_set-0-organization",
        "recipientorganization_set-0-organization",
    ]:
        assert f'name="{name}"' in content
    assert content.count("admin-autocomplete") >= 5
    assert "at the exchange rate of the announcement date" in content
    assert "Rumored: unconfirmed talk" in content


def test_an_editor_records_a_deal_with_its_investors_and_the_stake_it_created(admin_client, admin_user, parties):
    data = deal_form(parties, amount="121000000")
    data["investororganization_set-0-is_lead"] = "on"
    data["recipientorganization_set-0-amount"] = "21000000"
    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, form_errors(response)
    deal = Investment.objects.get()
    assert list(deal.investors.all()) == [parties["investor"]]
    assert deal.investororganization_set.get().is_lead
    assert list(deal.investor_people.all()) == [parties["person"]]
    [recipient] = deal.recipientorganization_set.all()
    assert recipient.organization == parties["recipient"]
    assert recipient.amount == recipient.amount_usd == Decimal("21000000"), "its own part, in USD as given"
    assert deal.status == Investment.Status.ANNOUNCED
    assert deal.amount_usd == Decimal("121000000")
    assert deal.announced_on == datetime.date(2015, 10, 20)
    assert list(deal.sources.all()) == [parties["source"]]
    assert list(deal.reported_in.all()) == [parties["article"]]
    stake = deal.stakes.get()
    assert (stake.organization, stake.technology) == (parties["investor"], parties["technology"])
    assert stake.kind == TechnologyStake.Kind.LICENSEE
    # Each many-to-many change is a revision of its own (the links are in the history): all by the editor.
    assert {record.history_user for record in deal.history.all()} == {admin_user}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "-5"}, "The amount cannot be negative."),
        ({"currency": "EUR", "amount": "1000", "amount_usd": ""}, "Enter the amount in USD"),
        ({"currency": "EUR", "amount": "", "amount_usd": "1000"}, "Enter the amount in its own currency too."),
        ({"currency": "EUR", "amount": "1000", "amount_usd": "-1"}, "The amount in USD cannot be negative."),
        ({"currency": "XYZ"}, "Select a valid choice."),
        ({"amount": "12abc"}, "Enter a number."),
        ({"announced_on": "2015-02-30"}, "Enter a valid date."),
        ({"recipientorganization_set-0-organization": "999999"}, "Select a valid choice."),
        ({"recipientorganization_set-0-amount": "-1"}, "An amount cannot be negative."),
        ({"title": ""}, "This field is required."),
        ({"investororganization_set-0-organization": "999999"}, "Select a valid choice."),
        ({"stakes-0-kind": "thief"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(admin_client, parties, overrides, message):
    response = admin_client.post(ADD_URL, deal_form(parties, **overrides))

    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)), form_errors(response)
    assert nothing_saved()


def test_the_same_investor_twice_is_a_form_error(admin_client, parties):
    data = deal_form(parties, **inline_management("investororganization_set", total=2))
    data["investororganization_set-1-organization"] = parties["investor"].pk

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert form_errors(response)
    assert nothing_saved()


def test_the_changelist_shows_what_an_editor_scans(admin_client, parties):
    deal = Investment.objects.create(
        title="China plans $121 million",
        slug="china-121",
        kind=Investment.Kind.GOVERNMENT_FUNDING,
        amount=Decimal("121000000"),
        announced_on=datetime.date(2016, 3, 1),
        date_precision="month",
        confidence=Confidence.RUMORED,
    )
    deal.investors.add(parties["investor"])
    deal.investor_people.add(parties["person"])
    deal.recipients.add(parties["recipient"])
    Investment.objects.create(
        title="Euro grant",
        slug="euro-grant",
        kind=Investment.Kind.GRANT,
        amount=Decimal("1500.50"),
        currency="EUR",
        amount_usd=Decimal("1650"),
        announced_on=datetime.date(2015, 1, 1),
        date_precision="year",
    )

    Investment.objects.create(title="Secret deal", slug="secret", kind=Investment.Kind.EQUITY)

    content = admin_client.get(reverse("admin:investments_investment_changelist")).content.decode()

    for shown in [
        "China plans $121 million",
        "Government funding",
        "Industrial Heat, Tom Darden",
        "Baishishan park",
        "USD 121,000,000",
        "Mar 2016",
        "Rumored",
        "EUR 1,500.50 (USD 1,650)",
        "undisclosed",
    ]:
        assert shown in content
    assert "announced_on__year=2016" in content, "the date hierarchy offers the years"


def test_deals_filter_by_confidence_in_the_changelist(admin_client, parties):
    Investment.objects.create(title="Sure", slug="sure", kind="grant", confidence=Confidence.CONFIRMED)
    Investment.objects.create(title="Talk", slug="talk", kind="grant", confidence=Confidence.RUMORED)

    response = admin_client.get(reverse("admin:investments_investment_changelist"), {"confidence__exact": "rumored"})

    assert [deal.title for deal in response.context["cl"].result_list] == ["Talk"]
