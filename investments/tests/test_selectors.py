"""The deal reads that organization pages, the API and the home page show."""

import datetime
from decimal import Decimal

import pytest

from investments.selectors import (
    organization_deal_stats,
    organization_deal_summary,
    organization_deals,
    recently_active_organizations,
)
from investments.tests.factories import InvestmentFactory, RecipientOrganizationFactory
from lenrnews.models import Confidence, DatePrecision
from organizations.models import Organization
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_deal_stats_count_made_and_received_deals_without_fan_out():
    heat = OrganizationFactory(name="Industrial Heat")
    backer = OrganizationFactory(name="Cherokee")
    InvestmentFactory(recipients=[heat], amount=Decimal("100"), investors=[backer])
    InvestmentFactory(recipients=[heat], amount=Decimal("50"), investors=[backer])
    InvestmentFactory(recipients=[heat], amount=None)

    stats = {o.name: o for o in organization_deal_stats(Organization.objects.all())}

    assert stats["Industrial Heat"].deal_count == 3
    assert stats["Industrial Heat"].total_raised_usd == Decimal("150")
    assert stats["Cherokee"].deal_count == 2
    assert stats["Cherokee"].total_raised_usd is None


def test_the_total_raised_counts_a_shared_deal_once_and_only_sure_deals():
    heat, park = OrganizationFactory(name="Industrial Heat"), OrganizationFactory(name="Park")
    InvestmentFactory(recipients=[heat], amount=Decimal("100"))
    InvestmentFactory(recipients=[heat], amount=Decimal("1000"), confidence=Confidence.RUMORED)
    InvestmentFactory(recipients=[heat, park], amount=Decimal("60"))  # no part of its own given
    split = InvestmentFactory(recipients=[park], amount=Decimal("40"))
    RecipientOrganizationFactory(investment=split, organization=heat, amount=Decimal("30"), amount_usd=Decimal("30"))

    stats = {o.name: o for o in organization_deal_stats(Organization.objects.all())}

    assert stats["Industrial Heat"].deal_count == 4
    assert stats["Industrial Heat"].total_raised_usd == Decimal("130"), "its own part of a shared deal"
    assert (stats["Industrial Heat"].shared_deals, stats["Industrial Heat"].shared_raised_usd) == (1, Decimal("60"))
    assert stats["Park"].total_raised_usd is None
    assert (stats["Park"].shared_deals, stats["Park"].shared_raised_usd) == (2, Decimal("100"))
    assert not stats["Industrial Heat"].raised_is_approximate

    InvestmentFactory(recipients=[heat], amount=Decimal("10"), currency="EUR", amount_usd=Decimal("11"))
    heat = organization_deal_stats(Organization.objects.filter(pk=heat.pk)).get()
    assert heat.total_raised_usd == Decimal("141")
    assert heat.raised_is_approximate


def test_the_latest_deal_s_date_comes_with_its_own_precision_made_or_received():
    investor, recipient, idle = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    InvestmentFactory(recipients=[recipient], announced_on=datetime.date(2015, 1, 1), date_precision=DatePrecision.YEAR)
    InvestmentFactory(
        recipients=[],
        investors=[investor, recipient],
        announced_on=datetime.date(2016, 10, 1),
        date_precision=DatePrecision.MONTH,
    )
    InvestmentFactory(recipients=[investor], announced_on=datetime.date(2014, 3, 2), date_precision=DatePrecision.DAY)

    summary = {o.pk: o for o in organization_deal_summary(Organization.objects.all())}

    for organization in (investor, recipient):
        assert summary[organization.pk].latest_deal_on == datetime.date(2016, 10, 1)
        assert summary[organization.pk].latest_deal_precision == DatePrecision.MONTH
    assert summary[idle.pk].latest_deal_on is None


def test_an_organization_s_deals_are_those_it_made_or_received_latest_first_up_to_the_limit():
    heat = OrganizationFactory()
    oldest = InvestmentFactory(recipients=[heat], announced_on=datetime.date(2013, 1, 1))
    made = InvestmentFactory(investors=[heat], announced_on=datetime.date(2015, 1, 1))
    both = InvestmentFactory(recipients=[heat], investors=[heat], announced_on=datetime.date(2016, 1, 1))
    InvestmentFactory(announced_on=datetime.date(2017, 1, 1))  # someone else's

    assert list(organization_deals(heat, limit=10)) == [both, made, oldest]
    assert list(organization_deals(heat, limit=2)) == [both, made]


def test_recently_active_organizations_are_the_parties_of_the_latest_deals_latest_first():
    old, new, investor = OrganizationFactory(name="Old"), OrganizationFactory(name="New"), OrganizationFactory()
    InvestmentFactory(recipients=[old], announced_on=datetime.date(2010, 1, 1))
    InvestmentFactory(recipients=[new], investors=[investor], announced_on=datetime.date(2020, 1, 1))
    OrganizationFactory(name="No deals")

    assert list(recently_active_organizations(3)) == sorted([new, investor], key=lambda o: o.name) + [old]
    assert list(recently_active_organizations(1)) == sorted([new, investor], key=lambda o: o.name)[:1]
