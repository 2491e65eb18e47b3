"""Template filters of the public site: money and confidence."""

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from lenrnews.markdown import render_markdown
from lenrnews.models import Confidence, format_partial_date

register = template.Library()

# Claims a reader must not take for established facts.
UNCERTAIN = {Confidence.RUMORED, Confidence.DISPUTED, Confidence.DENIED}


def format_amount(amount, currency):
    """'USD 121,000,000' or 'CNY 7,500,000.50': the amount with its ISO currency code."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    number = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{currency} {number}"


@register.filter
def amount(value, currency="USD"):
    return format_amount(value, currency)


@register.filter
def uncertain(confidence):
    """True for a rumored, disputed or denied claim."""
    return confidence in UNCERTAIN


@register.simple_tag
def confidence_levels():
    """The confidence levels, surest first (for legends)."""
    return Confidence.values


@register.filter
def markdown(text):
    """Markdown rendered and sanitized by the site's one renderer."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitized by render_markdown


@register.filter
def partial_date(value, precision):
    """'20 Oct 2015', 'Oct 2015' or '2015': a date as far as it is known."""
    return format_partial_date(value, precision)
