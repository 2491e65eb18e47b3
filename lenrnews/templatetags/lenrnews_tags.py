"""Template filters and tags of the public site: money, confidence, dates and links."""

from decimal import Decimal
from itertools import chain

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from lenrnews.markdown import render_markdown
from lenrnews.models import CONFIDENCE_GLOSSARY, Confidence, DatePrecision, format_partial_date

register = template.Library()

# Claims a reader must not take for established facts.
UNCERTAIN = {Confidence.RUMORED, Confidence.DISPUTED, Confidence.DENIED}


def format_amount(amount, currency):
    """'USD 121,000,000' or 'CNY 7,500,000.50': the amount with its ISO currency code.

    The one way money reads, on the public site and in the admin.
    """
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


@register.filter
def confidence_meaning(confidence):
    """What a confidence level means, in the words of the editors' help text."""
    return CONFIDENCE_GLOSSARY.get(confidence, "")


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


@register.simple_tag
def partial_time(value, precision):
    """A partial date as a ``<time>`` whose machine-readable value says no more than is known."""
    if precision == DatePrecision.YEAR:
        machine = f"{value.year:04d}"
    elif precision == DatePrecision.MONTH:
        machine = f"{value.year:04d}-{value.month:02d}"
    else:
        machine = value.isoformat()
    return format_html('<time datetime="{}">{}</time>', machine, format_partial_date(value, precision))


@register.simple_tag
def claim_period(start, start_precision, end, end_precision, end_unknown=False):
    """How long a stake or a role lasted, in words: 'since 2012', '2012 to 2017', 'ended, date unknown'.

    Empty for a claim with neither a start nor an end. An end of unknown date is said as
    such: the claim is not left to read as if it still held.
    """
    if end is not None:
        if start is not None:
            return format_html("{} to {}", partial_time(start, start_precision), partial_time(end, end_precision))
        return format_html("until {}", partial_time(end, end_precision))
    if end_unknown:
        if start is not None:
            return format_html("from {}, ended, date unknown", partial_time(start, start_precision))
        return "ended, date unknown"
    if start is not None:
        return format_html("since {}", partial_time(start, start_precision))
    return ""


@register.simple_tag
def external_link(url, text):
    """A link off the site (a source, a website), which passes on neither our ranking nor the reader's page.

    Without a URL, just the text.
    """
    if not url:
        return conditional_escape(text)
    return format_html('<a href="{}" rel="nofollow noopener noreferrer">{}</a>', url, text)


@register.inclusion_tag("includes/entity_links.html")
def entity_links(*groups):
    """Organizations, people or technologies as one inline list of links, the groups in the order given."""
    return {"entities": list(chain.from_iterable(groups))}
