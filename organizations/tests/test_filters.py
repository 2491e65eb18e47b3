import datetime
from decimal import Decimal

import pytest

from investments.selectors import organization_deal_stats
from investments.tests.factories import InvestmentFactory
from organizations.filters import OrganizationFilter, PersonFilter
from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db


def filtered(params):
    filterset = OrganizationFilter(params, queryset=organization_deal_stats(Organization.objects.all()))
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def test_has_deals_and_sort_by_total_raised_puts_undisclosed_last():
    rich = OrganizationFactory(name="Rich")
    poor = OrganizationFactory(name="Poor")
    idle = OrganizationFactory(name="Idle")
    InvestmentFactory(recipients=[rich], amount=Decimal("900"))
    InvestmentFactory(recipients=[poor], amount=Decimal("10"))

    assert filtered({"has_deals": "true", "ordering": "-total_raised"}) == [rich, poor]
    assert filtered({"has_deals": "false"}) == [idle]
    assert filtered({"ordering": "-total_raised"})[-1] == idle


@pytest.mark.parametrize(
    "params",
    [{"kind": "spaceship"}, {"country": "XX"}, {"founded_min": "abc"}, {"founded_max": "99999999999999999999"},
     {"technology": "no-such-technology"}, {"ordering": "-password"}],
)  # fmt: skip
def test_bad_values_are_form_errors_naming_the_parameter(params):
    filterset = OrganizationFilter(params, queryset=organization_deal_stats(Organization.objects.all()))
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


def test_stake_filters_ask_for_one_current_stake_meeting_them_all():
    """'Owns a Ni-H technology' means one stake that is an ownership of a Ni-H technology and holds today."""
    nih = TechnologyFactory(approach=Technology.Approach.NI_H)
    pdd = TechnologyFactory(approach=Technology.Approach.PD_D)
    mixed = OrganizationFactory(name="Owns Pd-D, licenses Ni-H")
    TechnologyStakeFactory(organization=mixed, technology=pdd, kind=TechnologyStake.Kind.OWNER)
    TechnologyStakeFactory(organization=mixed, technology=nih, kind=TechnologyStake.Kind.LICENSEE)
    former = OrganizationFactory(name="Owned Ni-H until 2019")
    TechnologyStakeFactory(
        organization=former, technology=nih, kind=TechnologyStake.Kind.OWNER, until=datetime.date(2019, 5, 1)
    )
    ended = OrganizationFactory(name="Owned Ni-H, end not known")
    TechnologyStakeFactory(organization=ended, technology=nih, kind=TechnologyStake.Kind.OWNER, until_unknown=True)

    assert filtered({"approach": "ni_h", "stake": "owner"}) == []
    assert filtered({"approach": "ni_h"}) == [mixed]
    assert set(filtered({"approach": "ni_h", "stake": "owner", "current": "false"})) == {former, ended}
    assert set(filtered({"technology": nih.slug, "current": "any"})) == {mixed, former, ended}


def test_person_filters_ask_for_one_current_role():
    heat, cherokee = OrganizationFactory(slug="industrial-heat"), OrganizationFactory(slug="cherokee")
    darden = PersonFactory(name="Tom Darden")
    AffiliationFactory(person=darden, organization=cherokee, role=Affiliation.Role.CEO)
    AffiliationFactory(person=darden, organization=heat, role=Affiliation.Role.BACKER)
    former = PersonFactory(name="Former CEO")
    AffiliationFactory(person=former, organization=heat, role=Affiliation.Role.CEO, end=datetime.date(2017, 1, 1))

    def people(params):
        filterset = PersonFilter(params, queryset=Person.objects.all())
        assert filterset.is_valid(), filterset.errors
        return set(filterset.qs)

    assert people({"organization": "industrial-heat", "role": "ceo"}) == set()
    assert people({"organization": "industrial-heat"}) == {darden}
    assert people({"organization": "industrial-heat", "role": "ceo", "current": "false"}) == {former}
    assert people({"organization": "industrial-heat", "current": "any"}) == {darden, former}
