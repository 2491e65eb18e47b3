import datetime
from decimal import Decimal

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, SourceFactory
from investments.models import Event, Investment
from investments.tests.factories import EventFactory, InvestmentFactory
from lenrnews.models import Confidence, DatePrecision
from lenrnews.tests.query_counts import QUERY_BUDGET, queries_with_1_and_50_rows
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def test_deal_list_shows_count_and_total_usd_of_the_filtered_deals(client, story):
    """The total counts confirmed and reported deals; rumored money is shown apart, never added in."""
    InvestmentFactory(amount=Decimal("1000000"), currency="EUR", amount_usd=Decimal("1100000"))
    InvestmentFactory(amount=Decimal("400000"), confidence=Confidence.CONFIRMED)

    html = client.get("/investments/").content.decode()
    assert "<strong>4</strong> deals" in html
    assert "about USD 1,500,000</strong>" in html, "a euro amount converted: approximate"
    assert "plus USD 121,000,000 rumored" in html

    response = client.get("/investments/?confidence=rumored")
    html = response.content.decode()
    assert "<strong>2</strong> deals match your filters" in html
    assert 'Total disclosed: <strong class="amount">none</strong>' in html
    assert "plus USD 121,000,000 rumored" in html
    assert response.context["totals"] == {
        "counted": None,
        "approximate": False,
        "apart": [(Confidence.RUMORED, "Rumored", Decimal("121000000"))],
    }

    html = client.get("/investments/?confidence=confirmed").content.decode()
    assert "USD 400,000</strong>" in html and "about" not in html.split("Total disclosed")[1].split("</p>")[0]


def test_amount_shows_in_its_currency_and_in_usd(client):
    InvestmentFactory(title="Euro grant", amount=Decimal("1000000.50"), currency="EUR", amount_usd=Decimal("1100000"))
    InvestmentFactory(title="Secret deal", amount=None)

    html = client.get("/investments/").content.decode()

    assert "EUR 1,000,000.50" in html
    assert "(≈ USD 1,100,000)" in html
    assert "Amount not disclosed" in html


def test_dates_show_at_their_precision(client):
    InvestmentFactory(announced_on=datetime.date(2015, 10, 20), date_precision=DatePrecision.DAY)
    InvestmentFactory(announced_on=datetime.date(2014, 10, 1), date_precision=DatePrecision.MONTH)
    InvestmentFactory(announced_on=datetime.date(2013, 1, 1), date_precision=DatePrecision.YEAR)

    html = client.get("/investments/").content.decode()

    assert ">20 Oct 2015</time>" in html
    assert ">Oct 2014</time>" in html
    assert ">2013</time>" in html
    assert "1 Jan 2013" not in html


def test_a_rumored_deal_never_looks_like_a_confirmed_one(client):
    InvestmentFactory(title="Confirmed round", confidence=Confidence.CONFIRMED)
    InvestmentFactory(title="Rumored round", confidence=Confidence.RUMORED)

    html = client.get("/investments/").content.decode()
    results = html.split("<footer")[0]
    cards = {card.split("</a>")[0].split(">")[-1]: card for card in results.split('<article class="card deal-card')[1:]}

    assert "claim--uncertain" not in cards["Confirmed round"]
    assert "badge--confirmed" in cards["Confirmed round"] and "confirmed</span>" in cards["Confirmed round"]
    assert "claim--uncertain" in cards["Rumored round"]
    assert "rumored</span>" in cards["Rumored round"]
    assert "Not established: this deal is rumored." in cards["Rumored round"]


def test_filters_give_the_deals_a_reader_expects(client, story):
    confirmed = InvestmentFactory(
        title="Big confirmed", amount=Decimal("5000000"), confidence=Confidence.CONFIRMED,
        announced_on=datetime.date(2019, 3, 1), investors=[story["cherokee"]], recipients=[story["heat"]],
    )  # fmt: skip

    def titles(query):
        response = client.get(f"/investments/?{query}")
        assert response.status_code == 200, response.context["filter"].errors
        return {deal.title for deal in response.context["page_obj"]}

    assert titles("min_confidence=reported") == {"Big confirmed"}
    assert titles("year_min=2016") == {"Big confirmed"}
    assert titles("year_max=2015&kind=government_funding") == {story["funding"].title}
    assert titles("amount_min=1000000&amount_max=10000000") == {"Big confirmed"}
    assert titles("investor=industrial-heat") == {story["baishishan"].title}
    assert titles("recipient=industrial-heat") == {"Big confirmed"}
    assert titles("technology=e-cat") == {story["baishishan"].title}
    assert titles("country=CN") == {story["baishishan"].title, story["funding"].title}
    assert [d.title for d in client.get("/investments/?ordering=-amount").context["page_obj"]][0] == (
        story["funding"].title
    )
    assert confirmed.pk


def test_deal_page_shows_parties_sources_chain_and_published_articles_only(client, story):
    deal = story["baishishan"]
    draft = ArticleFactory(title="Draft about Baishishan", status=Article.Status.REVIEW)
    deal.reported_in.add(draft)

    html = client.get(deal.get_absolute_url()).content.decode()

    assert "Industrial Heat joins Baishishan park" in html
    assert "Technology transfer" in html
    assert ">20 Oct 2015</time>" in html
    parties = html[html.index('id="parties-heading"') : html.index('id="lifecycle-heading"')]
    assert ">Industrial Heat</a>" in parties and "From (investor)" in parties
    assert ">Baishishan International Innovation Park</a>" in parties and "To (recipient)" in parties
    assert ">E-Cat</a>" in parties
    assert "badge--rumored" in html and "Not established" in html
    assert "Announced" in html and "(no later move recorded)" in html
    sources = html[html.index('id="sources-heading"') : html.index('id="reported-heading"')]
    assert "HydroFusion" in sources and "News report" in sources
    assert "Said by: Marianne Macy, Infinite Energy" in sources
    assert sources.count("flag--self-claim") == 1, "Industrial Heat's statement, on Industrial Heat's deal"
    assert "Came through: Vortex-L -&gt; E-Cat World" in sources
    reported = html[html.index('id="reported-heading"') :]
    assert "Industrial Heat transfers LENR technology to China" in reported
    assert "Draft about Baishishan" not in html


def test_a_party_s_own_statement_is_a_self_claim_only_on_its_own_deals(client, story):
    statement = story["sources"][1]
    assert statement.speaker_organization == story["heat"]
    other = InvestmentFactory(title="Someone else's deal", investors=[story["cherokee"]])
    other.sources.add(statement)

    html = client.get(other.get_absolute_url()).content.decode()
    assert "Industrial Heat statement" in html
    assert "flag--self-claim" not in html

    other.recipients.add(story["heat"])
    html = client.get(other.get_absolute_url()).content.decode()
    assert "flag--self-claim" in html


def test_a_deal_page_shows_the_lead_and_each_party_s_own_part(client):
    cherokee, darden = OrganizationFactory(name="Cherokee"), PersonFactory(name="Tom Darden")
    deal = InvestmentFactory(amount=Decimal("50000000"), investors=[cherokee], investor_people=[darden])
    deal.investororganization_set.update(is_lead=True, amount=Decimal("30000000"), amount_usd=Decimal("30000000"))

    html = client.get(deal.get_absolute_url()).content.decode()
    parties = html[html.index('id="parties-heading"') : html.index('id="lifecycle-heading"')]
    cherokee_row = parties.split(">Cherokee</a>")[1].split("</tr>")[0]
    assert '<span class="badge">lead</span>' in cherokee_row and "USD 30,000,000" in cherokee_row
    darden_row = parties.split(">Tom Darden</a>")[1].split("</tr>")[0]
    assert "lead" not in darden_row and "not given" in darden_row


def test_deal_page_shows_amount_in_currency_and_usd(client):
    deal = InvestmentFactory(amount=Decimal("780000000"), currency="CNY", amount_usd=Decimal("121000000"))

    html = client.get(deal.get_absolute_url()).content.decode()

    assert "CNY 780,000,000" in html
    assert '≈ <span class="amount">USD 121,000,000</span>' in html


def _deals(count):
    technology = TechnologyFactory()
    for _ in range(count):
        investor = OrganizationFactory()
        deal = InvestmentFactory(
            investors=[investor, OrganizationFactory()],
            recipients=[OrganizationFactory(), OrganizationFactory()],
            recipient_people=[PersonFactory()],
        )
        deal.investor_people.add(PersonFactory())
        deal.technologies.add(technology, TechnologyFactory())
        deal.sources.add(SourceFactory(speaker_organization=investor))
        EventFactory(kind=Event.Kind.DEAL_STATUS, new_status=Investment.Status.COMPLETED, investments=[deal])


@pytest.mark.parametrize("url", ["/investments/", "/investments/?country=US&min_confidence=rumored&ordering=-amount"])
def test_deal_list_runs_a_fixed_number_of_queries(client, url):
    (_, one), (response, fifty) = queries_with_1_and_50_rows(_deals, client.get, url)

    assert response.status_code == 200
    assert one == fifty <= QUERY_BUDGET


def test_deal_page_runs_a_fixed_number_of_queries(client):
    deal = InvestmentFactory(slug="grown")

    def grow(count):
        for _ in range(count):
            deal.investors.add(OrganizationFactory())
            deal.investor_people.add(PersonFactory())
            deal.recipients.add(OrganizationFactory())
            deal.recipient_people.add(PersonFactory())
            deal.technologies.add(TechnologyFactory())
            speaker = OrganizationFactory()
            deal.investors.add(speaker)
            deal.sources.add(SourceFactory(via=SourceFactory(via=SourceFactory()), speaker_organization=speaker))
            deal.reported_in.add(ArticleFactory())
            EventFactory(kind=Event.Kind.DEAL_STATUS, new_status=Investment.Status.SIGNED, investments=[deal])

    (_, one), (response, fifty) = queries_with_1_and_50_rows(grow, client.get, "/investments/grown/")

    assert response.status_code == 200
    assert one == fifty <= QUERY_BUDGET
    assert Investment.objects.count() == 1


def test_a_deal_page_shows_its_lifecycle_and_the_move_that_set_its_status(client, story):
    deal = story["baishishan"]
    EventFactory(
        title="Agreement signed",
        slug="agreement-signed",
        kind=Event.Kind.DEAL_STATUS,
        new_status=Investment.Status.SIGNED,
        occurred_on=datetime.date(2015, 11, 2),
        investments=[deal],
    )
    EventFactory(
        title="Talk of a termination",
        kind=Event.Kind.DEAL_STATUS,
        new_status=Investment.Status.TERMINATED,
        occurred_on=datetime.date(2016, 6, 2),
        confidence=Confidence.RUMORED,
        investments=[deal],
    )

    html = client.get(deal.get_absolute_url()).content.decode()

    assert '<span class="deal-status deal-status--signed">Signed</span>' in html
    assert '<time datetime="2015-11-02">2 Nov 2015</time>' in html
    lifecycle = html[html.index('id="lifecycle-heading"') : html.index('id="sources-heading"')]
    signed = lifecycle.split('href="/events/agreement-signed/">Agreement signed</a>')[1].split("</li>")[0]
    assert "(Deal signed)" in signed and "sets the status" in signed
    rumored = lifecycle.split("Talk of a termination")[0].rsplit("<li", 1)[1]
    assert "claim--uncertain" in rumored, "a rumored move is shown as such, and does not set the status"
    cards = client.get("/investments/?status=signed").content.decode()
    assert "Signed, reported, 2 Nov 2015" in cards
    assert client.get("/investments/?status=terminated").context["page_obj"].paginator.count == 0


def test_an_event_page_shows_what_happened_who_took_part_and_the_deals(client, story):
    event = EventFactory(
        title="Industrial Heat files suit",
        slug="ih-files-suit",
        kind=Event.Kind.LAWSUIT_FILED,
        summary="A *lawsuit* was filed.",
        occurred_on=datetime.date(2016, 4, 5),
        investments=[story["baishishan"]],
    )
    event.organizations.add(story["heat"], through_defaults={"role": "plaintiff"})
    event.people.add(story["rossi"], through_defaults={"role": "defendant"})
    event.technologies.add(story["ecat"])
    statement, hydrofusion = story["sources"][1], story["sources"][2]
    event.sources.add(statement, hydrofusion)
    event.reported_in.add(story["article"])

    response = client.get("/events/ih-files-suit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Industrial Heat files suit</h1>" in html and "Lawsuit filed" in html
    assert '<time datetime="2016-04-05">5 Apr 2016</time>' in html
    assert "<em>lawsuit</em>" in html
    parties = html[html.index('id="parties-heading"') : html.index('id="deals-heading"')]
    assert '>Industrial Heat</a> <span class="meta">(plaintiff)</span>' in parties
    assert '>Andrea Rossi</a> <span class="meta">(defendant)</span>' in parties
    assert f'href="{story["baishishan"].get_absolute_url()}"' in html
    sources = html[html.index('id="sources-heading"') : html.index('id="reported-heading"')]
    assert sources.count("flag--self-claim") == 1, "Industrial Heat's own statement, on its own lawsuit"
    assert story["article"].title in html
    assert client.get("/events/no-such-event/").status_code == 404


def test_event_page_runs_a_fixed_number_of_queries(client):
    event = EventFactory(slug="grown", investments=[InvestmentFactory()])

    def grow(count):
        for _ in range(count):
            speaker = OrganizationFactory()
            event.organizations.add(speaker, through_defaults={"role": "party"})
            event.people.add(PersonFactory())
            event.investments.add(InvestmentFactory())
            event.technologies.add(TechnologyFactory())
            event.sources.add(SourceFactory(via=SourceFactory(via=SourceFactory()), speaker_organization=speaker))
            event.reported_in.add(ArticleFactory())

    (_, one), (response, fifty) = queries_with_1_and_50_rows(grow, client.get, "/events/grown/")

    assert response.status_code == 200
    assert one == fifty <= QUERY_BUDGET
