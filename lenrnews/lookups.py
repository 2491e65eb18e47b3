"""Exact lookups: ``?name=``, ``?alias=``, repeatable ``?slug=``, ``?url=`` and ``?doi=``.

Where ``q`` searches words, these answer "is this one in the database?": a name or an
alias compared without case, accents, punctuation or spaces (``lenrnews.names``), the
slugs an entity has or had (an old slug finds the record it moved to), a source's
address normalized, a DOI without its ``https://doi.org/``. On a listing page they are
hidden fields: the rows match the API's, and the active-filter chips show them.
"""

import re

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from lenrnews.names import doi_key, name_key, url_key, with_name_key
from lenrnews.rest import SLUG_PATTERN
from lenrnews.slugs import moved_to

SLUG = re.compile(SLUG_PATTERN)


class NameLookupFilter(django_filters.CharFilter):
    """The rows whose name (or one of whose aliases, with ``alias=True``) equals the value, folded."""

    def __init__(self, *args, alias=False, **kwargs):
        self.alias = alias
        kwargs.setdefault("label", "Alias (exact)" if alias else "Name (exact)")
        kwargs.setdefault(
            "help_text",
            f"{'An alias' if alias else 'The name'}, ignoring case, accents, punctuation and spaces.",
        )
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        return with_name_key(qs, name_key(value), alias=self.alias)


class SlugListField(forms.MultipleChoiceField):
    """Any number of slugs (the parameter repeated); each must be well formed."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid_choice": "%(value)s is not a slug (letters, digits, hyphens, underscores)."}

    def valid_value(self, value):
        return isinstance(value, str) and SLUG.fullmatch(value) is not None


@extend_schema_field({"type": "string", "pattern": f"^{SLUG_PATTERN}$"})
class SlugsFilter(django_filters.MultipleChoiceFilter):
    """``?slug=a&slug=b``: the rows with any of these slugs, now or before (a renamed or merged record)."""

    field_class = SlugListField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Slug")
        kwargs.setdefault("help_text", "Repeat for several. A former slug finds the record it moved to.")
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(Q(slug__in=value) | Q(pk__in=moved_to(qs.model, value)))


class KeyLookupFilter(django_filters.CharFilter):
    """The rows whose stored key (``field_name``) equals the value's key made by ``make_key``."""

    def __init__(self, *args, make_key, **kwargs):
        self.make_key = make_key
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        key = self.make_key(value)
        return qs.filter(**{self.field_name: key}) if key else qs.none()


def url_lookup():
    return KeyLookupFilter(
        field_name="url_key",
        make_key=url_key,
        label="Address (exact)",
        help_text="The report's address, ignoring http/https, www., a trailing slash, the #fragment and "
        "utm_* parameters.",
    )


def doi_lookup():
    return KeyLookupFilter(
        field_name="doi_key",
        make_key=doi_key,
        label="DOI",
        help_text="The DOI, with or without https://doi.org/, in any case.",
    )
