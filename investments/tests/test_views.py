import datetime
from decimal import Decimal

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, SourceFactory
from investments.models import Investment
from investments.tests.factories import InvestmentFactory
from investments.tests.story import build_story
from lenrnews.models import Confidence, DatePrecision
from lenrnews.tests.query_counts import QUERY_BUDGET, get_counting_queries
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return build_story()


def test_deal_list_shows_count_and_total_usd_of_the_filtered_deals(client, story):
    InvestmentFactory(amount=Decimal("1000000"), currency="EUR", amount_usd=Decimal("1100000"))

    html = client.get("/investments/").content.decode()
    assert "<strong>3</strong> deals" in html
    assert "USD 122,100,000" in html

    html = client.get("/investments/?confidence=rumored").content.decode()
    assert "<strong>2</strong> deals match your filters" in html
    assert "USD 121,000,000" in html


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
        announced_on=datetime.date(2019, 3, 1), investors=[story["cherokee"]], recipient=story["heat"],
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
    assert "Baishishan International Innovation Park" in html and ">E-Cat</a>" in html
    assert "badge--rumored" in html and "Not established" in html
    sources = html[html.index('id="sources-heading"') : html.index('id="reported-heading"')]
    assert "HydroFusion" in sources
    assert "Said by: Marianne Macy, Infinite Energy" in sources
    assert "self-claim" in sources
    assert "Came through: Vortex-L -&gt; E-Cat World" in sources
    reported = html[html.index('id="reported-heading"') :]
    assert "Industrial Heat transfers LENR technology to China" in reported
    assert "Draft about Baishishan" not in html


def test_deal_page_shows_amount_in_currency_and_usd(client):
    deal = InvestmentFactory(amount=Decimal("780000000"), currency="CNY", amount_usd=Decimal("121000000"))

    html = client.get(deal.get_absolute_url()).content.decode()

    assert "CNY 780,000,000" in html
    assert '≈ <span class="amount">USD 121,000,000</span>' in html


def _deals(count):
    technology = TechnologyFactory()
    for _ in range(count):
        deal = InvestmentFactory(investors=[OrganizationFactory(), OrganizationFactory()])
        deal.investor_people.add(PersonFactory())
        deal.technologies.add(technology, TechnologyFactory())
        deal.sources.add(SourceFactory(self_claim=True))


@pytest.mark.parametrize("url", ["/investments/", "/investments/?country=US&min_confidence=rumored&ordering=-amount"])
def test_deal_list_runs_a_fixed_number_of_queries(client, url):
    _deals(1)
    _, one = get_counting_queries(client, url)
    _deals(49)
    response, fifty = get_counting_queries(client, url)

    assert response.status_code == 200
    assert one == fifty <= QUERY_BUDGET


def test_deal_page_runs_a_fixed_number_of_queries(client):
    deal = InvestmentFactory(slug="grown")

    def grow(count):
        for _ in range(count):
            deal.investors.add(OrganizationFactory())
            deal.investor_people.add(PersonFactory())
            deal.technologies.add(TechnologyFactory())
            deal.sources.add(SourceFactory(via=SourceFactory(via=SourceFactory())))
            deal.reported_in.add(ArticleFactory())

    grow(1)
    _, one = get_counting_queries(client, "/investments/grown/")
    grow(49)
    response, fifty = get_counting_queries(client, "/investments/grown/")

    assert response.status_code == 200
    assert one == fifty <= QUERY_BUDGET
    assert Investment.objects.count() == 1
