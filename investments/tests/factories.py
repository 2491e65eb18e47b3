import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from investments.models import Event, Investment, RecipientOrganization
from lenrnews.models import Confidence
from organizations.tests.factories import OrganizationFactory


class InvestmentFactory(DjangoModelFactory):
    """A reported USD equity deal. Without ``recipients`` it gets one new recipient organization;
    ``recipients=[]`` makes a deal with none (a framework deal)."""

    class Meta:
        model = Investment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Deal {n}")
    slug = factory.Sequence(lambda n: f"deal-{n}")
    kind = Investment.Kind.EQUITY
    amount = Decimal("1000000.00")
    currency = "USD"
    announced_on = datetime.date(2015, 10, 20)
    confidence = Confidence.REPORTED

    @factory.post_generation
    def investors(self, create, extracted, **kwargs):
        if create and extracted:
            self.investors.add(*extracted)

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [OrganizationFactory()]
        if extracted:
            self.recipients.add(*extracted)

    @factory.post_generation
    def investor_people(self, create, extracted, **kwargs):
        if create and extracted:
            self.investor_people.add(*extracted)

    @factory.post_generation
    def recipient_people(self, create, extracted, **kwargs):
        if create and extracted:
            self.recipient_people.add(*extracted)


class RecipientOrganizationFactory(DjangoModelFactory):
    """A recipient's row in a deal, for a lead flag or its own part of the money."""

    class Meta:
        model = RecipientOrganization

    investment = factory.SubFactory(InvestmentFactory, recipients=[])
    organization = factory.SubFactory(OrganizationFactory)


class EventFactory(DjangoModelFactory):
    """A reported event; ``deal_status`` events need ``new_status`` and move the ``investments`` they name."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.ANNOUNCEMENT
    occurred_on = datetime.date(2016, 6, 2)
    confidence = Confidence.REPORTED

    @factory.post_generation
    def investments(self, create, extracted, **kwargs):
        if create and extracted:
            self.investments.add(*extracted)
