"""Query shapes the benchmark (benchmarks/) found to matter at scale.

A filter on a column of the listed row itself cannot repeat a row, so it must not
add DISTINCT: over the deal statistics' subqueries DISTINCT makes the database
compute them for every matching organization and sort whole rows, instead of only
for the page shown (40 ms instead of 1 ms at 2,000 organizations).
"""

import pytest

from investments.filters import InvestmentFilter
from investments.models import Investment
from investments.selectors import organization_deal_stats
from organizations.filters import OrganizationFilter, PersonFilter, TechnologyFilter
from organizations.models import Organization, Person, Technology
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def filtered_sql(filterset_class, params, queryset):
    filterset = filterset_class(params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return str(filterset.qs.query).upper(), list(filterset.qs)


def test_organizations_by_country_and_kind_have_no_distinct():
    OrganizationFactory(name="Industrial Heat", country="US", kind=Organization.Kind.COMPANY)
    OrganizationFactory(name="Elforsk", country="SE", kind=Organization.Kind.RESEARCH_LAB)

    sql, rows = filtered_sql(
        OrganizationFilter,
        {"country": ["US"], "kind": ["company"]},
        organization_deal_stats(Organization.objects.all()),
    )

    assert "DISTINCT" not in sql
    assert [o.name for o in rows] == ["Industrial Heat"]


@pytest.mark.parametrize(
    ("filterset_class", "params", "model"),
    [
        (TechnologyFilter, {"approach": ["ni_h"], "stage": ["laboratory"]}, Technology),
        (PersonFilter, {"country": ["US"]}, Person),
        (InvestmentFilter, {"kind": ["equity"], "confidence": ["confirmed"]}, Investment),
    ],
)
def test_column_filters_of_other_listings_have_no_distinct(filterset_class, params, model):
    sql, _ = filtered_sql(filterset_class, params, model.objects.all())

    assert "DISTINCT" not in sql
