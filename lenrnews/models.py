"""Site-wide building blocks: timestamps, confidence and date precision."""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class Confidence(models.TextChoices):
    """How sure we are of a claim, from surest to least."""

    CONFIRMED = "confirmed", "Confirmed"
    REPORTED = "reported", "Reported"
    RUMORED = "rumored", "Rumored"
    DISPUTED = "disputed", "Disputed"
    DENIED = "denied", "Denied"

    @classmethod
    def at_least(cls, level):
        """The levels as sure as ``level`` or surer (``min_confidence`` filters)."""
        values = cls.values
        return values[: values.index(level) + 1]


CONFIDENCE_HELP = (
    "How sure we are. Confirmed: on the record from the parties or documents. "
    "Reported: a named source says so, not independently checked. Rumored: unconfirmed "
    "talk, a single anonymous or second-hand report. Disputed: sources contradict each "
    "other. Denied: a party has denied it."
)


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


DATE_PRECISION_HELP = (
    "How much of the date is known. For 'sometime in 2015' enter 1 January 2015 with "
    "precision Year; for 'October 2015' enter 1 October 2015 with precision Month."
)


def format_partial_date(value, precision):
    """'20 Oct 2015', 'Oct 2015' or '2015', as far as the date is known."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%b %Y")
    return f"{value.day} {value.strftime('%b %Y')}"


def split_aliases(text):
    """Aliases are kept one a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SearchableManager(models.Manager):
    """The manager of a model with a stored ``search_vector``: rows are read without it.

    Only the database reads the vector (to match and rank); loading it would copy a
    few kilobytes per article into every page. Use ``from_queryset`` for a custom
    queryset.
    """

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")
