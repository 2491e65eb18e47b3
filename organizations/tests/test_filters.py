from decimal import Decimal

import pytest

from investments.tests.factories import InvestmentFactory
from organizations.filters import OrganizationFilter
from organizations.models import Organization
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def filtered(params):
    filterset = OrganizationFilter(params, queryset=Organization.objects.with_deal_stats())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def test_deal_stats_count_made_and_received_deals_without_fan_out():
    heat = OrganizationFactory(name="Industrial Heat")
    backer = OrganizationFactory(name="Cherokee")
    InvestmentFactory(recipient=heat, amount=Decimal("100"), investors=[backer])
    InvestmentFactory(recipient=heat, amount=Decimal("50"), investors=[backer])
    InvestmentFactory(recipient=heat, amount=None)

    stats = {o.name: o for o in Organization.objects.with_deal_stats()}

    assert stats["Industrial Heat"].deal_count == 3
    assert stats["Industrial Heat"].total_raised_usd == Decimal("150")
    assert stats["Cherokee"].deal_count == 2
    assert stats["Cherokee"].total_raised_usd is None


def test_has_deals_and_sort_by_total_raised_puts_undisclosed_last():
    rich = OrganizationFactory(name="Rich")
    poor = OrganizationFactory(name="Poor")
    idle = OrganizationFactory(name="Idle")
    InvestmentFactory(recipient=rich, amount=Decimal("900"))
    InvestmentFactory(recipient=poor, amount=Decimal("10"))

    assert filtered({"has_deals": "true", "ordering": "-total_raised"}) == [rich, poor]
    assert filtered({"has_deals": "false"}) == [idle]
    assert filtered({"ordering": "-total_raised"})[-1] == idle


@pytest.mark.parametrize(
    "params",
    [{"kind": "spaceship"}, {"country": "XX"}, {"founded_min": "abc"}, {"founded_max": "99999999999999999999"},
     {"technology": "no-such-technology"}, {"ordering": "-password"}],
)  # fmt: skip
def test_bad_values_are_form_errors_naming_the_parameter(params):
    filterset = OrganizationFilter(params, queryset=Organization.objects.with_deal_stats())
    assert not filterset.is_valid()
    assert set(filterset.errors) == set(params)


def test_every_filter_has_its_own_label():
    """Labels computed lazily from the model come out blank once the API schema has
    been generated from the shared FilterSets; the page's chips would read 'None'."""
    from articles.filters import ArticleFilter, SourceFilter
    from investments.filters import InvestmentFilter
    from organizations.filters import (
        AffiliationFilter,
        PersonFilter,
        TechnologyFilter,
        TechnologyStakeFilter,
    )

    filtersets = [OrganizationFilter, TechnologyFilter, PersonFilter, AffiliationFilter, TechnologyStakeFilter,
                  ArticleFilter, SourceFilter, InvestmentFilter]  # fmt: skip
    unlabelled = [f"{fs.__name__}.{name}" for fs in filtersets for name, f in fs.base_filters.items() if not f._label]
    assert unlabelled == []
