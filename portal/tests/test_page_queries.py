"""The cheaper query shapes of the public pages give the rows the plain ones gave."""

import datetime
import random

import pytest
from django.db.models import F

from articles.models import Article
from articles.tests.factories import ArticleFactory
from investments.selectors import organization_deal_stats, recently_active_organization_ids
from investments.tests.factories import InvestmentFactory
from organizations.models import Organization
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory
from portal.views import HomeView

pytestmark = pytest.mark.django_db


def most_recently_active(count):
    """The plain definition: every organization ordered by its latest deal."""
    organizations = organization_deal_stats(Organization.objects.all()).filter(latest_deal_on__isnull=False)
    return list(organizations.order_by(F("latest_deal_on").desc(), "name").values_list("name", flat=True)[:count])


def home_organizations(client):
    html = client.get("/").content.decode()
    active = html[html.index('id="active-heading"') :]
    return [name for name in Organization.objects.values_list("name", flat=True) if f">{name}</a>" in active]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_home_lists_the_organizations_with_the_latest_deals_ties_included(client, seed):
    rng = random.Random(seed)
    organizations = [OrganizationFactory(name=f"Org {n:02d}") for n in range(30)]
    # Few distinct days: many ties, inside and at the edge of the latest deals.
    days = [datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(12)) for _ in range(70)]
    for day in days:
        recipient, *investors = rng.sample(organizations, rng.randrange(1, 4))
        InvestmentFactory(announced_on=day, recipients=[recipient], investors=investors)
    InvestmentFactory(announced_on=None, recipients=[organizations[0]])

    expected = most_recently_active(HomeView.organization_count)
    shown = recently_active_organization_ids(HomeView.organization_count, window=20)

    assert set(expected) <= set(Organization.objects.filter(pk__in=shown).values_list("name", flat=True))
    assert sorted(home_organizations(client)) == sorted(expected)


def test_home_counts_deals_made_as_activity_and_skips_undated_deals(client):
    investor = OrganizationFactory(name="Only Invests")
    undated = OrganizationFactory(name="Undated Only")
    InvestmentFactory(announced_on=datetime.date(2024, 5, 1), investors=[investor])
    InvestmentFactory(announced_on=None, recipients=[undated])

    shown = home_organizations(client)

    assert "Only Invests" in shown
    assert "Undated Only" not in shown


def test_related_articles_share_an_organization_person_or_technology(client):
    heat, other = OrganizationFactory(), OrganizationFactory()
    rossi, tech = PersonFactory(), TechnologyFactory()
    article = ArticleFactory()
    article.organizations.add(heat)
    article.people.add(rossi)
    article.technologies.add(tech)
    by_org, by_person, by_tech = ArticleFactory(), ArticleFactory(), ArticleFactory()
    by_org.organizations.add(heat, other)
    by_person.people.add(rossi)
    by_tech.technologies.add(tech)
    unrelated = ArticleFactory()
    unrelated.organizations.add(other)
    draft = ArticleFactory(status=Article.Status.DRAFT)
    draft.organizations.add(heat)

    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index('id="related-heading"') :]

    for shown in (by_org, by_person, by_tech):
        assert shown.title in related
    for hidden in (unrelated, draft):
        assert hidden.title not in related


def test_organization_page_lists_deals_made_and_received_once_each(client):
    heat = OrganizationFactory()
    received = InvestmentFactory(recipients=[heat], investors=[OrganizationFactory(), OrganizationFactory()])
    made = InvestmentFactory(investors=[heat, OrganizationFactory()])
    InvestmentFactory()  # someone else's

    html = client.get(heat.get_absolute_url()).content.decode()

    def section(key):
        start = html.index(f'<section aria-labelledby="{key}-heading">')
        return html[start : html.index("</section>", start)]

    # Once in its own section (the timeline, the chart and the connections link it again).
    assert section("received").count(f'href="{received.get_absolute_url()}"') == 1
    assert section("made").count(f'href="{made.get_absolute_url()}"') == 1
    assert made.get_absolute_url() not in section("received")
    assert received.get_absolute_url() not in section("made")
    assert "2 made" not in html and "(1 made, 1 received)" in html
