"""The record over time, as an editor enters it and a reader then sees it.

A licence announced, signed, paid, terminated (disputed) and settled, each step sourced,
entered through the API; the licensee's page then shows a former licence and the
disputed termination; a grant to three universities on all three pages, counted once;
a founding year with its source; the events listing and the API agree.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from articles.models import Source
from investments.models import Event, Investment, RecipientOrganization
from lenrnews.models import Confidence
from organizations.models import Organization, OrganizationCitation, Technology, TechnologyStake

API = "/api/v1/"


@pytest.fixture
def api(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


def source(title, **fields):
    return Source.objects.create(title=title, url=f"https://example.org/{re.sub(r'\W+', '-', title)}", **fields)


@pytest.fixture
def parties(db):
    licensor = Organization.objects.create(name="Leonardo Corporation", country="US")
    licensee = Organization.objects.create(name="Industrial Heat", country="US", founded=2012)
    ecat = Technology.objects.create(name="E-Cat", approach=Technology.Approach.NI_H)
    return licensor, licensee, ecat


def record_licence(api, licensor, licensee, ecat):
    """The licence's life through the API, each move with its own source and confidence."""
    signed_source = source("Licence agreement", kind=Source.Kind.COURT_FILING)
    response = api.post(
        f"{API}investments/",
        {
            "title": "Industrial Heat licenses the E-Cat",
            "kind": "license",
            "parties": [
                {"side": "investor", "organization": licensee.slug, "is_lead": True},
                {"side": "recipient", "organization": licensor.slug},
            ],
            "technologies": [ecat.slug],
            "amount": "11500000.00",
            "currency": "USD",
            "announced_on": "2013-10-01",
            "date_precision": "month",
            "confidence": "confirmed",
            "sources": [signed_source.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    deal = response.json()["slug"]
    moves = [
        ("signed", "2012-10-26", "confirmed", Source.Kind.COURT_FILING),
        ("completed", "2013-05-01", "reported", Source.Kind.NEWS_REPORT),
        ("terminated", "2016-06-02", "disputed", Source.Kind.COMPANY_STATEMENT),
    ]
    for status, day, confidence, kind in moves:
        step = source(f"The licence {status}", kind=kind)
        response = api.post(
            f"{API}events/",
            {
                "title": f"E-Cat licence {status}",
                "kind": "deal_status",
                "new_status": status,
                "occurred_on": day,
                "date_precision": "day",
                "confidence": confidence,
                "investments": [deal],
                "parties": [{"organization": licensor.slug, "role": "licensor"}],
                "sources": [step.pk],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
    settled = source("Settlement announced", kind=Source.Kind.PRESS_RELEASE)
    response = api.post(
        f"{API}events/",
        {
            "title": "Rossi v. Darden settled",
            "kind": "lawsuit_settled",
            "occurred_on": "2017-07-01",
            "date_precision": "month",
            "confidence": "confirmed",
            "investments": [deal],
            "parties": [
                {"organization": licensor.slug, "role": "plaintiff"},
                {"organization": licensee.slug, "role": "defendant"},
            ],
            "sources": [settled.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["date_display"] == "Jul 2017"
    response = api.post(
        f"{API}stakes/",
        {
            "organization": licensee.slug,
            "technology": ecat.slug,
            "kind": "licensee",
            "since": "2012-10-26",
            "until": "2017-07-05",
            "until_precision": "year",
            "confidence": "confirmed",
            "investment": deal,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Investment.objects.get(slug=deal)


def test_a_terminated_licence_reads_as_terminated_disputed_with_its_lifecycle(api, client, parties):
    licensor, licensee, ecat = parties
    deal = record_licence(api, licensor, licensee, ecat)

    # The termination is disputed, so the latest move at least reported is the payment.
    assert deal.status == Investment.Status.COMPLETED
    body = api.get(f"{API}investments/{deal.slug}/").json()
    assert body["status"] == "completed"
    assert [move["new_status"] for move in body["lifecycle"]] == ["signed", "completed", "terminated"]
    assert {(p["side"], p["organization"]["slug"], p["is_lead"]) for p in body["parties"]} == {
        ("investor", licensee.slug, True),
        ("recipient", licensor.slug, False),
    }

    page = client.get(deal.get_absolute_url()).content.decode()
    assert "Lifecycle and events" in page
    assert "E-Cat licence terminated" in page and "Rossi v. Darden settled" in page
    steps = re.findall(r'<li class="lifecycle__step[^"]*">.*?</li>', page, re.S)
    termination = next(step for step in steps if "E-Cat licence terminated" in step)
    assert "claim--uncertain" in termination and "badge--disputed" in termination

    # Once a party confirms it, the termination sets the state, with its date and confidence.
    Event.objects.filter(new_status="terminated").update(confidence=Confidence.REPORTED)
    Event.objects.get(new_status="terminated").save()
    deal.refresh_from_db()
    assert deal.status == Investment.Status.TERMINATED
    assert deal.status_display == "Terminated, reported, 2 Jun 2016"
    assert api.get(f"{API}investments/?status=terminated").json()["count"] == 1
    assert client.get("/investments/?status=terminated").context["result_count"] == 1
    assert client.get("/investments/?active_in=2015").context["result_count"] == 1
    assert client.get("/investments/?active_in=2017").context["result_count"] == 0


def test_the_licensee_page_shows_a_former_licence(api, client, parties):
    licensor, licensee, ecat = parties
    record_licence(api, licensor, licensee, ecat)
    stake = TechnologyStake.objects.get()
    assert not stake.is_current
    assert list(TechnologyStake.objects.former()) == [stake]

    # "Holds the E-Cat" means now: the former licensee is not listed unless asked for.
    assert api.get(f"{API}organizations/?technology={ecat.slug}").json()["count"] == 0
    former = api.get(f"{API}organizations/?technology={ecat.slug}&current=false").json()
    assert [row["slug"] for row in former["results"]] == [licensee.slug]
    assert client.get(f"/organizations/?technology={ecat.slug}&current=any").context["result_count"] == 1


def test_disputed_events_are_the_same_rows_on_the_page_and_the_api(api, client, parties):
    record_licence(api, *parties)
    page = client.get("/events/?confidence=disputed")
    assert page.status_code == 200
    on_page = [event.slug for event in page.context["page_obj"]]
    in_api = [row["slug"] for row in api.get(f"{API}events/?confidence=disputed").json()["results"]]
    assert on_page == in_api == ["e-cat-licence-terminated"]
    anonymous = APIClient().get(f"{API}events/?confidence=disputed").json()["results"]
    assert [row["slug"] for row in anonymous] == in_api


def test_event_filters_on_party_and_role_ask_for_one_party(api, parties):
    licensor, licensee, ecat = parties
    record_licence(api, licensor, licensee, ecat)
    slugs = lambda query: [r["slug"] for r in api.get(f"{API}events/?{query}").json()["results"]]  # noqa: E731
    assert slugs(f"party={licensee.slug}&role=defendant") == ["rossi-v-darden-settled"]
    assert slugs(f"party={licensee.slug}&role=plaintiff") == []
    assert slugs("kind=lawsuit_settled") == ["rossi-v-darden-settled"]
    assert len(slugs("year_min=2016&year_max=2017")) == 2
    assert api.get(f"{API}events/?party=nobody-at-all").status_code == 400
    assert api.get(f"{API}events/?kind=wedding").status_code == 400


def test_a_grant_to_three_universities_shows_on_every_page_and_is_counted_once(api, client, db):
    ministry = Organization.objects.create(name="Ministry of Science", kind=Organization.Kind.GOVERNMENT)
    universities = [
        Organization.objects.create(name=f"University {n}", kind=Organization.Kind.UNIVERSITY) for n in "ABC"
    ]
    response = api.post(
        f"{API}investments/",
        {
            "title": "Ministry funds LENR at three universities",
            "kind": "government_funding",
            "investors": [ministry.slug],
            "recipients": [u.slug for u in universities],
            "amount": "3000000.00",
            "currency": "USD",
            "announced_on": "2019-01-01",
            "date_precision": "year",
            "confidence": "confirmed",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    alone = api.post(
        f"{API}investments/",
        {
            "title": "University A gets a private grant",
            "kind": "grant",
            "recipients": [universities[0].slug],
            "amount": "100000.00",
            "currency": "USD",
            "confidence": "reported",
        },
        format="json",
    )
    assert alone.status_code == 201, alone.json()

    for university in universities:
        page = client.get(university.get_absolute_url()).content.decode()
        assert "Ministry funds LENR at three universities" in page
        listed = api.get(f"{API}investments/?recipient={university.slug}").json()
        assert "ministry-funds-lenr-at-three-universities" in [row["slug"] for row in listed["results"]]

    rows = {row["slug"]: row for row in api.get(f"{API}organizations/?kind=university").json()["results"]}
    a, b = rows[universities[0].slug], rows[universities[1].slug]
    # The shared grant is not added in full to any of the three.
    assert Decimal(a["total_raised_usd"]) == Decimal("100000.00")
    assert b["total_raised_usd"] is None
    assert (a["shared_deals"], Decimal(a["shared_raised_usd"])) == (1, Decimal("3000000.00"))

    # With its own part given, a university's total counts that part.
    RecipientOrganization.objects.filter(organization=universities[1]).update(amount_usd=Decimal("1000000"))
    b = api.get(f"{API}organizations/{universities[1].slug}/").json()
    assert Decimal(b["total_raised_usd"]) == Decimal("1000000.00") and b["shared_deals"] == 0

    listing = client.get("/investments/").context["totals"]
    assert listing["counted"] == Decimal("3100000.00")


def test_a_founding_year_shows_its_source(client, parties):
    _, licensee, _ = parties
    registry = source("State registry entry", kind=Source.Kind.REGISTRY_FILING, publisher="NC Secretary of State")
    OrganizationCitation.objects.create(subject=licensee, source=registry, fields=["founded", "country"])
    page = client.get(licensee.get_absolute_url()).content.decode()
    founded = page[page.index("<dt>Founded</dt>") :]
    founded = founded[: founded.index("</dd>")]
    assert "2012" in founded and "<sup" in founded  # the fact carries a mark to its source
    assert "NC Secretary of State" in page and "Registry filing" in page


def test_a_source_is_a_self_claim_only_for_claims_of_its_speaker(api, parties):
    licensor, licensee, ecat = parties
    statement = source("Leonardo statement", kind=Source.Kind.COMPANY_STATEMENT, speaker_organization=licensor)
    own = TechnologyStake.objects.create(organization=licensor, technology=ecat, kind="owner")
    other = TechnologyStake.objects.create(organization=licensee, technology=ecat, kind="investor")
    own.sources.add(statement)
    other.sources.add(statement)
    own_row = api.get(f"{API}stakes/{own.pk}/").json()
    other_row = api.get(f"{API}stakes/{other.pk}/").json()
    assert own_row["sources"][0]["self_claim"] is True
    assert other_row["sources"][0]["self_claim"] is False
    self_claims = [row["id"] for row in api.get(f"{API}stakes/?self_claim=true").json()["results"]]
    independent = [row["id"] for row in api.get(f"{API}stakes/?self_claim=false").json()["results"]]
    assert self_claims == [own.pk] and independent == [other.pk]


def test_notes_are_for_editors_only(api, client, parties):
    licensor, _, _ = parties
    licensor.notes = "Editors only: check the 2011 registry."
    licensor.save()
    event = Event.objects.create(
        title="Demonstration in Bologna",
        kind="demonstration",
        occurred_on=datetime.date(2011, 1, 14),
        notes="Private: witness list unverified.",
    )
    event.organizations.add(licensor, through_defaults={"role": "demonstrator"})
    assert "notes" in api.get(f"{API}events/{event.slug}/").json()
    reader = APIClient()
    assert "notes" not in reader.get(f"{API}events/{event.slug}/").json()
    assert "notes" not in reader.get(f"{API}organizations/{licensor.slug}/").json()
    for url in (event.get_absolute_url(), licensor.get_absolute_url(), "/events/", "/feeds/events.rss"):
        body = client.get(url).content.decode()
        assert "witness list" not in body and "2011 registry" not in body, url


def test_events_are_in_search_the_sitemap_and_the_feeds(client, parties):
    licensor, _, _ = parties
    Event.objects.create(
        title="Patent granted for the E-Cat", kind="patent_granted", occurred_on=datetime.date(2015, 8, 25)
    )
    assert "Patent granted for the E-Cat" in client.get("/search/?q=patent").content.decode()
    assert "sitemap-events.xml" in client.get("/sitemap.xml").content.decode()
    assert "/events/patent-granted-for-the-e-cat/" in client.get("/sitemap-events.xml").content.decode()
    for feed in ("/feeds/events.rss", "/feeds/events.atom"):
        response = client.get(feed)
        assert response.status_code == 200 and b"Patent granted for the E-Cat" in response.content


def test_a_status_move_needs_its_new_state(api, parties):
    response = api.post(f"{API}events/", {"title": "Something moved", "kind": "deal_status"}, format="json")
    assert response.status_code == 400 and "new_status" in response.json()
    response = api.post(
        f"{API}events/", {"title": "A demo", "kind": "demonstration", "new_status": "signed"}, format="json"
    )
    assert response.status_code == 400 and "new_status" in response.json()
    assert not Event.objects.exists()


def test_an_editor_records_a_licence_and_its_termination_in_the_admin(editor_client, parties):
    from django.urls import reverse

    from lenrnews.tests.admin_forms import admin_form_data, form_errors

    licensor, licensee, ecat = parties
    add = reverse("admin:investments_investment_add")
    data = admin_form_data(
        editor_client.get(add),
        title="Industrial Heat licenses the E-Cat",
        slug="ih-licence",
        kind="license",
        confidence="confirmed",
        currency="USD",
        amount="11500000",
        announced_on="2013-10-01",
        date_precision="month",
        technologies=[ecat.pk],
    )
    data["investororganization_set-0-organization"] = str(licensee.pk)
    data["investororganization_set-0-is_lead"] = "on"
    data["recipientorganization_set-0-organization"] = str(licensor.pk)
    response = editor_client.post(add, data)
    assert response.status_code == 302, form_errors(response)
    deal = Investment.objects.get(slug="ih-licence")
    assert list(deal.recipients.all()) == [licensor] and list(deal.investors.all()) == [licensee]

    statement = source("IH statement on the licence", kind=Source.Kind.COMPANY_STATEMENT, speaker_organization=licensee)
    add_event = reverse("admin:investments_event_add")
    data = admin_form_data(
        editor_client.get(add_event),
        title="Leonardo terminates the licence",
        slug="licence-terminated",
        kind="deal_status",
        new_status="terminated",
        occurred_on="2016-06-02",
        date_precision="day",
        confidence="disputed",
        investments=[deal.pk],
        sources=[statement.pk],
    )
    data["eventorganization_set-0-organization"] = str(licensor.pk)
    data["eventorganization_set-0-role"] = "licensor"
    response = editor_client.post(add_event, data)
    assert response.status_code == 302, form_errors(response)
    deal.refresh_from_db()
    # Disputed: the move is recorded, and the deal's state is not changed by it.
    assert deal.status == Investment.Status.ANNOUNCED
    assert [event.slug for event in deal.lifecycle] == ["licence-terminated"]
    event = Event.objects.get(slug="licence-terminated")
    # History keeps the links too: the latest revision names the deal and the source.
    revision = event.history.latest()
    assert [row.investment_id for row in revision.investments.all()] == [deal.pk]
    assert [row.source_id for row in revision.sources.all()] == [statement.pk]

    # A deal status change without its new state is refused, nothing saved.
    data = admin_form_data(
        editor_client.get(add_event), title="Something moved", slug="moved", kind="deal_status", confidence="reported"
    )
    response = editor_client.post(add_event, data)
    assert response.status_code == 200 and "Name the state the deal moved to" in response.content.decode()
    assert not Event.objects.filter(slug="moved").exists()

    # The article side: an article's admin page lists the deals and events it reports.
    from articles.models import Article

    article = Article.objects.create(title="The licence ends", slug="the-licence-ends", body="Text.")
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "deals this article reports" in page.lower() and "events this article reports" in page.lower()


def test_the_admin_refuses_a_party_on_both_sides(editor_client, parties):
    from django.urls import reverse

    from lenrnews.tests.admin_forms import admin_form_data

    _, licensee, _ = parties
    add = reverse("admin:investments_investment_add")
    data = admin_form_data(editor_client.get(add), title="Self deal", slug="self-deal", kind="equity", currency="USD")
    data["investororganization_set-0-organization"] = str(licensee.pk)
    data["recipientorganization_set-0-organization"] = str(licensee.pk)
    response = editor_client.post(add, data)
    assert response.status_code == 200
    assert "cannot also be one of its investors" in response.content.decode()
    assert not Investment.objects.filter(slug="self-deal").exists()


def test_totals_leave_rumored_deals_apart_on_the_page_and_in_the_api(client, db):
    for title, level, amount in (
        ("A confirmed grant", "confirmed", "1000000"),
        ("A reported loan", "reported", "500000"),
        ("A rumored buyout", "rumored", "121000000"),
        ("A denied buyout", "denied", "7000000"),
    ):
        Investment.objects.create(title=title, kind="grant", confidence=level, amount=Decimal(amount), currency="USD")
    Investment.objects.create(
        title="A pound grant",
        kind="grant",
        confidence="reported",
        amount=Decimal("100"),
        currency="GBP",
        amount_usd=Decimal("127"),
    )
    page = client.get("/investments/")
    html = page.content.decode()
    assert "about USD 1,500,127" in html.replace("\xa0", " ") or "1,500,127" in html
    assert "plus" in html and "rumored" in html
    totals = APIClient().get(f"{API}investments/").json()["totals"]
    assert totals == {
        "counted_usd": "1500127.00",
        "counted_levels": ["confirmed", "reported"],
        "approximate": True,
        "apart": {"rumored": "121000000.00", "denied": "7000000.00"},
    }
    only_rumored = APIClient().get(f"{API}investments/?confidence=rumored").json()["totals"]
    assert only_rumored["counted_usd"] is None and only_rumored["apart"] == {"rumored": "121000000.00"}


def test_the_demo_records_the_seed_events_and_stays_idempotent(db):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    signing = Event.objects.get(slug="tom-darden-signs-the-baishishan-park-agreement")
    statement = Event.objects.get(slug="purported-statement-from-industrial-heat")
    assert signing.new_status == "signed" and statement.confidence == Confidence.RUMORED
    assert Investment.objects.get(slug="industrial-heat-baishishan-park-agreement").status == "signed"
    # The statement speaks for Industrial Heat, a party of it: a self-claim.
    assert statement.sources.get().is_self_claim_for(*statement.party_ids())
    counts = (Event.objects.count(), Event.history.count(), signing.eventperson_set.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Event.objects.count(), Event.history.count(), signing.eventperson_set.count()) == counts


def test_generated_data_has_lifecycles_events_end_dates_and_shared_deals(db):
    from django.core.management import call_command
    from django.db.models import Count

    call_command(
        "generate_data",
        *"--organizations 60 --people 60 --technologies 30 --sources 80 --articles 40 --investments 200 "
        "--stakes 120 --affiliations 80 --events 60 --seed 7".split(),
        verbosity=0,
    )
    deals = list(Investment.objects.all())
    for deal in deals:
        stored = (deal.status, deal.status_event_id, deal.ended_on)
        deal.refresh_status(save=False)
        assert (deal.status, deal.status_event_id, deal.ended_on) == stored, deal.slug
    assert {d.status for d in deals} >= {"announced", "signed", "completed"}
    assert Event.objects.exclude(kind="deal_status").count() == 60
    assert RecipientOrganization.objects.values("investment").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert TechnologyStake.objects.former().exists() and TechnologyStake.objects.current().exists()
    assert OrganizationCitation.objects.exists()
