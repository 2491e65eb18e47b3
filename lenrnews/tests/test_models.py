import datetime

import pytest

from lenrnews.models import Confidence, DatePrecision, format_partial_date, split_aliases


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (Confidence.CONFIRMED, ["confirmed"]),
        (Confidence.REPORTED, ["confirmed", "reported"]),
        (Confidence.RUMORED, ["confirmed", "reported", "rumored"]),
        (Confidence.DENIED, ["confirmed", "reported", "rumored", "disputed", "denied"]),
    ],
)
def test_confidence_at_least_keeps_the_level_and_every_surer_one(level, expected):
    assert Confidence.at_least(level) == expected


def test_confidence_at_least_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        Confidence.at_least("certain")


@pytest.mark.parametrize(
    ("precision", "expected"),
    [(DatePrecision.DAY, "20 Oct 2015"), (DatePrecision.MONTH, "Oct 2015"), (DatePrecision.YEAR, "2015")],
)
def test_partial_dates_show_only_what_is_known(precision, expected):
    assert format_partial_date(datetime.date(2015, 10, 20), precision) == expected


def test_partial_date_of_a_single_digit_day_has_no_leading_zero():
    assert format_partial_date(datetime.date(2016, 3, 1), DatePrecision.DAY) == "1 Mar 2016"


def test_an_unknown_date_shows_nothing():
    assert format_partial_date(None, DatePrecision.DAY) == ""


def test_aliases_are_one_a_line_without_blank_lines():
    assert split_aliases("IH\n\n  Industrial Heat LLC  \r\n") == ["IH", "Industrial Heat LLC"]
    assert split_aliases(None) == []
