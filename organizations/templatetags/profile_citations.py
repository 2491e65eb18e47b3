"""The sources of a profile's facts: ``{% cite organization "founded" %}`` beside a fact,
``{% profile_sources organization %}`` for the numbered list the marks link to.

Both read ``subject.citations.all()`` (prefetch it, with each citation's source) and
number the citations in that order, so a mark and its entry always agree.
"""

from django import template
from django.utils.html import format_html, format_html_join

from organizations.models import citable_field_label

register = template.Library()


def _anchor(number):
    return f"profile-source-{number}"


@register.simple_tag
def cite(subject, field):
    """Superscript links to the sources that support ``field`` of ``subject``; empty when none does."""
    numbers = [number for number, citation in enumerate(subject.citations.all(), start=1) if field in citation.fields]
    if not numbers:
        return ""
    links = format_html_join(
        " ",
        '<a href="#{}"><span class="visually-hidden">source </span>{}</a>',
        ((_anchor(number), number) for number in numbers),
    )
    return format_html('<sup class="cite">{}</sup>', links)


@register.inclusion_tag("includes/profile_sources.html")
def profile_sources(subject):
    """The profile's citations, numbered, each with the facts it supports and its quote."""
    rows = [
        {
            "anchor": _anchor(number),
            "number": number,
            "citation": citation,
            "source": citation.source,
            "supports": [citable_field_label(name) for name in citation.fields],
        }
        for number, citation in enumerate(subject.citations.all(), start=1)
    ]
    return {"rows": rows}
