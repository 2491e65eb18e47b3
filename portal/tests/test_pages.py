import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from articles.models import Article
from articles.tests.factories import ArticleFactory
from investments.tests.factories import InvestmentFactory
from investments.tests.story import build_story
from lenrnews.models import Confidence
from lenrnews.tests.query_counts import QUERY_BUDGET, queries_with_1_and_50_rows
from organizations.tests.factories import OrganizationFactory, TechnologyStakeFactory

pytestmark = pytest.mark.django_db


def test_home_shows_lead_story_latest_articles_deals_and_active_organizations(client):
    story = build_story()
    ArticleFactory(title="Older story", publish_at=story["article"].publish_at - datetime.timedelta(days=1))
    ArticleFactory(title="Draft story", status=Article.Status.DRAFT)
    InvestmentFactory(
        title="Confirmed EUR deal", amount=Decimal("2000000"), currency="EUR", amount_usd=Decimal("2200000"),
        confidence=Confidence.CONFIRMED, announced_on=datetime.date(2017, 6, 1), recipients=[story["heat"]],
    )  # fmt: skip

    html = client.get("/").content.decode()

    lead = html[html.index('class="lead-story"') :].split("</article>")[0]
    assert "Industrial Heat transfers LENR technology to China" in lead
    assert "Older story" in html
    assert "Draft story" not in html
    deals = html[html.index('id="deals-heading"') : html.index('id="active-heading"')]
    assert deals.index("Confirmed EUR deal") < deals.index("Industrial Heat joins Baishishan park")
    assert "EUR 2,000,000" in deals and "USD 2,200,000" in deals
    assert "badge--confirmed" in deals and "badge--rumored" in deals
    active = html[html.index('id="active-heading"') :]
    assert active.index("Industrial Heat") < active.index("Baishishan International Innovation Park")
    assert "Cherokee" not in active  # no deals: no recent activity


def test_home_without_content_says_so(client):
    html = client.get("/").content.decode()

    assert "No articles published yet." in html


def test_home_runs_a_fixed_number_of_queries(client):
    def grow(count):
        for _ in range(count):
            organization = OrganizationFactory()
            TechnologyStakeFactory(organization=organization)
            InvestmentFactory(recipients=[organization], investors=[OrganizationFactory()])
            ArticleFactory()

    (_, one), (response, fifty) = queries_with_1_and_50_rows(grow, client.get, "/")

    assert response.status_code == 200
    assert one == fifty <= QUERY_BUDGET


def test_layout_has_navigation_search_and_confidence_legend(client):
    html = client.get("/organizations/").content.decode()

    for label, url in [
        ("Articles", "/articles/"),
        ("Organizations", "/organizations/"),
        ("Technologies", "/technologies/"),
        ("Deals", "/investments/"),
        ("People", "/people/"),
    ]:
        assert f'href="{url}"' in html and f">{label}</a>" in html
    assert '<a href="/organizations/" aria-current="page">Organizations</a>' in html
    assert 'action="/search/"' in html and '<label for="site-search-q"' in html
    for word in Confidence.values:
        assert f"badge--{word}" in html
    assert "/static/css/site.css" in html


def test_server_error_page_needs_no_request_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert "site.css" in html


@pytest.mark.urls("portal.tests.urls_500")
def test_unhandled_error_renders_the_styled_500_page(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
