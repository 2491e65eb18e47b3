"""CSV import and export of deals in the admin: parties named by slug, name or alias, nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from investments.models import Investment, InvestorOrganization, RecipientOrganization
from lenrnews.tests.spreadsheets import confirm, csv_bytes, export, import_url, preview, read_csv_response, rows_of
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

DEALS = import_url("investments", "investment")
HEADER = ["title", "kind", "investors", "recipients", "technologies", "amount", "currency", "amount_usd",
          "announced_on", "confidence"]  # fmt: skip


@pytest.fixture
def parties(db):
    return {
        "cherokee": OrganizationFactory(name="Cherokee Investment Partners", slug="cherokee", aliases="Cherokee"),
        "ih": OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH"),
        "park": OrganizationFactory(name="Baishishan Park", slug="baishishan-park"),
        "darden": PersonFactory(name="Tom Darden", slug="tom-darden", aliases="J. T. Darden"),
        "e-cat": TechnologyFactory(name="E-Cat", slug="e-cat", aliases="Energy Catalyzer"),
    }


@pytest.mark.django_db
def test_deals_with_their_parties_dates_and_money(editor_client, parties):
    data = csv_bytes([
        HEADER,
        ["IH raises from Cherokee", "equity", "cherokee (lead); Tom Darden", "IH", "Energy Catalyzer", "11,600,000",
         "USD", "", "2013-05", "reported"],
        ["Baishishan park agreement", "Partnership", "industrial heat", "Baishishan Park", "", "121000000", "CNY",
         "19000000", "2015", "rumored"],
    ])  # fmt: skip
    previewed = preview(editor_client, DEALS, data)
    rows = rows_of(previewed)
    assert [row[1] for row in rows] == ["new", "new"]
    assert ("investors", "", "Cherokee Investment Partners (lead); Tom Darden") in rows[0][3]
    assert ("announced_on", "", "2013-05") in rows[0][3]
    assert not Investment.objects.exists()
    confirm(editor_client, DEALS, previewed)

    raise_ = Investment.objects.get(slug="ih-raises-from-cherokee")
    assert (raise_.amount, raise_.amount_usd) == (Decimal("11600000"), Decimal("11600000"))  # USD: derived
    assert (raise_.announced_on, raise_.date_precision) == (datetime.date(2013, 5, 1), "month")
    assert list(raise_.investors.all()) == [parties["cherokee"]]
    assert list(raise_.investor_people.all()) == [parties["darden"]]
    assert list(raise_.recipients.all()) == [parties["ih"]]
    assert list(raise_.technologies.all()) == [parties["e-cat"]]
    assert InvestorOrganization.objects.get(investment=raise_).is_lead
    park = Investment.objects.get(slug="baishishan-park-agreement")
    assert (park.kind, park.currency, park.amount_usd, park.date_precision) == (
        "partnership", "CNY", Decimal("19000000"), "year")  # fmt: skip


@pytest.mark.django_db
def test_deal_rows_that_break_the_rules_are_errors_and_nothing_is_saved(editor_client, parties):
    OrganizationFactory(name="Tom Darden", slug="tom-darden-holdings")  # a company sharing the man's name
    data = csv_bytes([
        HEADER,
        ["Good deal", "equity", "cherokee", "IH", "", "1000", "USD", "", "2014-01-02", "confirmed"],
        ["Both sides", "equity", "IH", "industrial-heat", "", "", "USD", "", "", "reported"],
        ["Who?", "equity", "Tom Darden", "IH", "", "", "USD", "", "", "reported"],
        ["No kind", "", "cherokee", "IH", "", "", "USD", "", "", "reported"],
        ["Euros, no dollars", "grant", "", "IH", "", "500", "EUR", "", "", "reported"],
        ["Bad date", "grant", "", "IH", "", "", "USD", "", "2015-13", "sure"],
        ["Ghost tech", "license", "", "IH", "Cold fusion engine", "", "USD", "", "", "reported"],
    ])  # fmt: skip
    previewed = preview(editor_client, DEALS, data)
    errors = {row[2]: row[4] for row in rows_of(previewed)}
    assert errors["Good deal"] == []
    assert errors["Both sides"] == [
        "investors: Industrial Heat: a recipient of this deal cannot also be one of its investors."
    ]
    assert errors["Who?"] == [
        "investors: “Tom Darden” names several: organization Tom Darden (tom-darden-holdings), person Tom Darden "
        "(tom-darden); give the slug, or write organization: or person:"
    ]
    assert errors["No kind"] == ["kind: This field cannot be blank."]
    assert errors["Euros, no dollars"] == ["amount_usd: Enter the amount in USD for a deal in another currency."]
    assert errors["Bad date"] == [
        "announced_on: Enter a valid date. 2015-13 is not on the calendar: write 2015, 2015-05 or 2015-05-20 "
        "(a year, a month or a day).",
        "confidence: “sure” is not one of: confirmed, reported, rumored, disputed, denied",
    ]
    assert errors["Ghost tech"] == [
        "technologies: no technology is called “Cold fusion engine” (by slug, name or alias)"
    ]
    assert "payload" not in previewed.context
    assert not Investment.objects.exists()

    fixed = csv_bytes([HEADER, ["Who?", "equity", "person:Tom Darden", "IH", "", "", "USD", "", "", "reported"]])
    confirm(editor_client, DEALS, preview(editor_client, DEALS, fixed))
    assert list(Investment.objects.get().investor_people.all()) == [parties["darden"]]


@pytest.mark.django_db
def test_a_deal_changed_by_the_file_keeps_its_parties_own_amounts(editor_client, parties):
    deal = Investment.objects.create(title="IH raises", slug="ih-raises", kind="equity", currency="USD")
    InvestorOrganization.objects.create(investment=deal, organization=parties["cherokee"], amount=Decimal("5000000"))
    RecipientOrganization.objects.create(investment=deal, organization=parties["ih"])
    data = csv_bytes([["slug", "title", "investors", "recipients"],
                      ["ih-raises", "IH raises", "Cherokee (lead); Tom Darden", "IH"]])  # fmt: skip
    previewed = preview(editor_client, DEALS, data)
    assert rows_of(previewed)[0][3] == [
        ("investors", "Cherokee Investment Partners", "Cherokee Investment Partners (lead); Tom Darden")
    ]
    confirm(editor_client, DEALS, previewed)
    row = InvestorOrganization.objects.get(investment=deal)
    assert (row.is_lead, row.amount) == (True, Decimal("5000000"))
    assert list(deal.investor_people.all()) == [parties["darden"]]


@pytest.mark.django_db
def test_a_deal_in_the_trash_is_not_changed_by_a_file(editor_client, parties):
    deal = Investment.objects.create(title="Old deal", slug="old-deal", kind="equity")
    deal.trash()
    previewed = preview(editor_client, DEALS, csv_bytes([["slug", "title", "kind"], ["old-deal", "Old deal", "loan"]]))
    assert rows_of(previewed)[0][4] == ["the deal “Old deal” (old-deal) is in the trash: restore it first"]


@pytest.mark.django_db
def test_exported_deals_import_again_unchanged(editor_client, parties):
    data = csv_bytes([
        HEADER,
        ["IH raises from Cherokee", "equity", "cherokee (lead); Tom Darden", "IH", "e-cat", "11600000", "USD", "",
         "2013-05", "reported"],
        ["Park agreement", "partnership", "IH", "Baishishan Park", "", "", "USD", "", "2015-10-20", "rumored"],
        ["Not exported", "grant", "", "IH", "", "", "USD", "", "", "reported"],
    ])  # fmt: skip
    confirm(editor_client, DEALS, preview(editor_client, DEALS, data))
    chosen = Investment.objects.exclude(title="Not exported")
    listing = reverse("admin:investments_investment_changelist")
    response = export(editor_client, listing, "export_selected_csv", [deal.pk for deal in chosen])
    rows = read_csv_response(response)
    assert rows[0][:5] == ["slug", "title", "kind", "investors", "recipients"]
    by_slug = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_slug) == {"ih-raises-from-cherokee", "park-agreement"}
    assert by_slug["ih-raises-from-cherokee"]["investors"] == "cherokee (lead); tom-darden"
    assert by_slug["ih-raises-from-cherokee"]["announced_on"] == "2013-05"
    assert by_slug["park-agreement"]["announced_on"] == "2015-10-20"
    again = preview(editor_client, DEALS, response.content, "deals.csv")
    assert again.context["result"].summary == "2 rows: 0 new, 0 changed, 2 unchanged"
