import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from investments.models import Event, Investment
from investments.tests.factories import EventFactory, InvestmentFactory
from lenrnews.models import Confidence

pytestmark = pytest.mark.django_db


def refused(write):
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_a_negative_amount_is_refused_by_the_database():
    assert refused(lambda: InvestmentFactory(amount=Decimal("-1")))
    assert not refused(lambda: InvestmentFactory(amount=Decimal("0")))


def test_a_negative_amount_in_usd_is_refused_by_the_database():
    assert refused(lambda: InvestmentFactory(currency="EUR", amount=Decimal("10"), amount_usd=Decimal("-1")))


def test_a_usd_deal_whose_usd_amount_differs_is_refused_by_the_database():
    deal = InvestmentFactory(amount=Decimal("100"))
    assert refused(lambda: Investment.objects.filter(pk=deal.pk).update(amount_usd=Decimal("99")))
    assert refused(lambda: Investment.objects.filter(pk=deal.pk).update(amount_usd=None))


def test_a_deal_slug_is_unique():
    InvestmentFactory(slug="baishishan")
    assert refused(lambda: InvestmentFactory(slug="baishishan"))


def test_a_usd_deal_gets_its_usd_amount_on_save():
    deal = InvestmentFactory(currency="USD", amount=Decimal("121000000"), amount_usd=None)
    deal.refresh_from_db()
    assert deal.amount_usd == Decimal("121000000")


def test_a_usd_deal_without_amount_has_no_usd_amount():
    deal = InvestmentFactory(currency="USD", amount=None)
    assert deal.amount_usd is None


def test_editing_a_usd_amount_follows_the_amount():
    deal = InvestmentFactory(amount=Decimal("100"))
    deal.amount = Decimal("250")
    deal.save()
    deal.refresh_from_db()
    assert deal.amount_usd == Decimal("250")


def test_another_currency_keeps_the_editors_usd_amount():
    deal = InvestmentFactory(currency="EUR", amount=Decimal("1000"), amount_usd=Decimal("1090"))
    deal.full_clean()
    deal.refresh_from_db()
    assert deal.amount_usd == Decimal("1090")


def test_another_currency_needs_a_usd_amount():
    deal = Investment(title="Euro deal", slug="euro-deal", kind=Investment.Kind.GRANT, currency="EUR", amount=10)
    with pytest.raises(ValidationError) as error:
        deal.full_clean()
    assert "amount_usd" in error.value.message_dict


def test_a_usd_amount_needs_the_amount_in_its_own_currency():
    deal = Investment(title="Euro deal", slug="euro-deal", kind=Investment.Kind.GRANT, currency="EUR", amount_usd=10)
    with pytest.raises(ValidationError) as error:
        deal.full_clean()
    assert "amount" in error.value.message_dict


def test_clean_fills_the_usd_amount_of_a_usd_deal():
    deal = Investment(title="Dollar deal", slug="dollar-deal", kind=Investment.Kind.GRANT, amount=Decimal("5"))
    deal.full_clean()
    assert deal.amount_usd == Decimal("5")


def test_an_unknown_currency_is_refused():
    deal = Investment(title="Bad", slug="bad", kind=Investment.Kind.GRANT, currency="XYZ", amount=1, amount_usd=1)
    with pytest.raises(ValidationError) as error:
        deal.full_clean()
    assert "currency" in error.value.message_dict


def test_a_deal_shows_its_date_at_its_precision():
    deal = InvestmentFactory(date_precision="month")
    assert deal.date_display == "Oct 2015"
    assert deal.get_absolute_url() == f"/investments/{deal.slug}/"


def test_a_deal_s_status_follows_its_latest_status_move_at_least_reported():
    deal = InvestmentFactory()
    assert (deal.status, deal.status_display) == (Investment.Status.ANNOUNCED, "Announced")

    def move(new_status, day, confidence=Confidence.REPORTED):
        return EventFactory(
            kind=Event.Kind.DEAL_STATUS,
            new_status=new_status,
            occurred_on=datetime.date(2016, 6, day),
            confidence=confidence,
            investments=[deal],
        )

    move(Investment.Status.SIGNED, 1)
    terminated = move(Investment.Status.TERMINATED, 2)
    move(Investment.Status.COMPLETED, 3, confidence=Confidence.RUMORED)  # talk does not move it
    deal.refresh_from_db()
    assert deal.status == Investment.Status.TERMINATED
    assert deal.status_display == "Terminated, reported, 2 Jun 2016"
    assert deal.ended_on == datetime.date(2016, 6, 2) and not deal.is_active

    terminated.delete()
    deal.refresh_from_db()
    assert (deal.status, deal.ended_on) == (Investment.Status.SIGNED, None)
