"""The database itself refuses rows that break the rules, whatever form or script writes them."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from investments.models import InvestorOrganization, RecipientOrganization
from investments.tests.factories import EventFactory, InvestmentFactory
from organizations.models import Affiliation, Organization, Technology, TechnologyStake
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db


def refused(create):
    """True when the database refuses the write (checked in its own transaction)."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_an_organization_dissolved_before_it_was_founded_is_refused():
    assert refused(
        lambda: Organization.objects.create(name="Backwards", slug="backwards", founded=2015, dissolved=2014)
    )
    assert not refused(lambda: Organization.objects.create(name="Brief", slug="brief", founded=2015, dissolved=2015))
    assert not refused(lambda: Organization.objects.create(name="Unknown", slug="unknown", dissolved=2014))


@pytest.mark.parametrize("factory", [OrganizationFactory, PersonFactory, TechnologyFactory])
def test_slugs_are_unique(factory):
    factory(slug="industrial-heat")
    assert refused(lambda: factory(slug="industrial-heat"))


def test_an_affiliation_ending_before_it_starts_is_refused():
    person, organization = PersonFactory(), OrganizationFactory()
    assert refused(
        lambda: Affiliation.objects.create(
            person=person, organization=organization, start=datetime.date(2016, 1, 1), end=datetime.date(2015, 12, 31)
        )
    )
    assert not refused(
        lambda: Affiliation.objects.create(
            person=person, organization=organization, start=datetime.date(2016, 1, 1), end=datetime.date(2016, 1, 1)
        )
    )


def test_one_stake_per_organization_technology_and_kind():
    stake = TechnologyStakeFactory(kind=TechnologyStake.Kind.OWNER)
    same = {"organization": stake.organization, "technology": stake.technology}
    assert refused(lambda: TechnologyStake.objects.create(**same, kind=TechnologyStake.Kind.OWNER))
    assert not refused(lambda: TechnologyStake.objects.create(**same, kind=TechnologyStake.Kind.LICENSEE))


def test_an_organization_with_deals_cannot_be_deleted_as_investor_or_recipient():
    investor, recipient = OrganizationFactory(), OrganizationFactory()
    InvestmentFactory(recipients=[recipient], investors=[investor])

    for organization in (investor, recipient):
        with pytest.raises(ProtectedError):
            organization.delete()
    assert Organization.objects.filter(pk__in=[investor.pk, recipient.pk]).count() == 2
    assert InvestorOrganization.objects.filter(organization=investor).exists()
    assert RecipientOrganization.objects.filter(organization=recipient).exists()


def test_a_person_with_affiliations_or_deals_cannot_be_deleted():
    affiliated = AffiliationFactory().person
    investor, recipient = PersonFactory(), PersonFactory()
    deal = InvestmentFactory(recipient_people=[recipient])
    deal.investor_people.add(investor)

    for person in (affiliated, investor, recipient):
        with pytest.raises(ProtectedError):
            person.delete()
        person.refresh_from_db()


def test_an_organization_or_technology_with_stakes_cannot_be_deleted():
    stake = TechnologyStakeFactory()
    with pytest.raises(ProtectedError):
        stake.organization.delete()
    with pytest.raises(ProtectedError):
        stake.technology.delete()
    assert TechnologyStake.objects.filter(pk=stake.pk).exists()


def test_an_organization_with_affiliations_cannot_be_deleted():
    affiliation = AffiliationFactory()
    with pytest.raises(ProtectedError):
        affiliation.organization.delete()


def test_an_organization_without_facts_can_be_deleted():
    organization = OrganizationFactory()
    organization.delete()
    assert not Organization.objects.filter(pk=organization.pk).exists()


def test_slugs_are_made_from_names_when_left_empty():
    assert Organization.objects.create(name="Industrial Heat LLC").slug == "industrial-heat-llc"


def test_public_entities_link_to_their_pages():
    assert OrganizationFactory(slug="industrial-heat").get_absolute_url() == "/organizations/industrial-heat/"
    assert PersonFactory(slug="tom-darden").get_absolute_url() == "/people/tom-darden/"
    assert TechnologyFactory(slug="e-cat").get_absolute_url() == "/technologies/e-cat/"
    assert EventFactory(slug="ih-sues-rossi").get_absolute_url() == "/events/ih-sues-rossi/"


def test_a_technology_s_approach_and_stage_are_unknown_until_a_source_says():
    technology = Technology.objects.create(name="QuarkX")
    assert (technology.approach, technology.stage) == (Technology.Approach.UNKNOWN, Technology.Stage.UNKNOWN)
    assert (technology.get_approach_display(), technology.get_stage_display()) == ("Unknown", "Unknown")


def test_a_stake_cannot_end_before_it_starts_nor_a_person_die_before_birth():
    since = datetime.date(2015, 1, 1)
    assert refused(lambda: TechnologyStakeFactory(since=since, until=datetime.date(2014, 12, 31)))
    assert not refused(lambda: TechnologyStakeFactory(since=since, until=since))
    assert refused(lambda: PersonFactory(born=1950, died=1949))
    assert not refused(lambda: PersonFactory(born=1950, died=2020))


def test_a_claim_is_current_until_it_ends():
    today = datetime.date.today()
    lasting = TechnologyStakeFactory()
    ending = TechnologyStakeFactory(until=today + datetime.timedelta(days=1))
    ended = TechnologyStakeFactory(until=today)
    unknown = TechnologyStakeFactory(until_unknown=True)
    assert [s.is_current for s in (lasting, ending, ended, unknown)] == [True, True, False, False]
    assert set(TechnologyStake.objects.current()) == {lasting, ending}
    assert set(TechnologyStake.objects.former()) == {ended, unknown}
    role = AffiliationFactory(end_unknown=True)
    assert not role.is_current and list(Affiliation.objects.former()) == [role]
