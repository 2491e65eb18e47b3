import factory
from factory.django import DjangoModelFactory

from lenrnews.models import Confidence
from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    kind = Organization.Kind.COMPANY
    country = "US"
    summary = factory.Faker("sentence")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    country = "US"


class TechnologyFactory(DjangoModelFactory):
    class Meta:
        model = Technology

    name = factory.Sequence(lambda n: f"Technology {n}")
    slug = factory.Sequence(lambda n: f"technology-{n}")
    approach = Technology.Approach.NI_H
    stage = Technology.Stage.LABORATORY


class TechnologyStakeFactory(DjangoModelFactory):
    class Meta:
        model = TechnologyStake

    organization = factory.SubFactory(OrganizationFactory)
    technology = factory.SubFactory(TechnologyFactory)
    kind = TechnologyStake.Kind.OWNER
    confidence = Confidence.REPORTED


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Affiliation.Role.CEO
    confidence = Confidence.REPORTED
