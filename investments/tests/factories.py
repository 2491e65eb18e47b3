import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from investments.models import Investment
from lenrnews.models import Confidence
from organizations.tests.factories import OrganizationFactory


class InvestmentFactory(DjangoModelFactory):
    class Meta:
        model = Investment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Deal {n}")
    slug = factory.Sequence(lambda n: f"deal-{n}")
    kind = Investment.Kind.EQUITY
    recipient = factory.SubFactory(OrganizationFactory)
    amount = Decimal("1000000.00")
    currency = "USD"
    announced_on = datetime.date(2015, 10, 20)
    confidence = Confidence.REPORTED

    @factory.post_generation
    def investors(self, create, extracted, **kwargs):
        if create and extracted:
            self.investors.add(*extracted)
