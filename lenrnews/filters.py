"""Filter building blocks shared by the listings of every app."""

import django_filters
from django import forms
from django.db.models import F

from lenrnews.search import filter_by_text


class IntegerFilter(django_filters.NumberFilter):
    """A whole number in a bounded range, so no typed value can overflow a column."""

    field_class = forms.IntegerField


class TextSearchFilter(django_filters.CharFilter):
    """The ``q`` filter: the site's one text search over the given fields.

    It keeps the listing's order (no listing sorts by relevance), so no row is scored.
    """

    def __init__(self, *args, search_fields, **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("help_text", "Words to look for in names, aliases and descriptions.")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        return filter_by_text(qs, value, self.search_fields, rank=False)


class SortFilter(django_filters.ChoiceFilter):
    """``ordering``: one of a fixed list of sort keys, '-' for descending.

    ``options`` maps each public key to a model field or annotation; empty values
    sort last in both directions so undisclosed amounts never lead a list.
    """

    def __init__(self, *args, options, labels=None, tiebreak="pk", **kwargs):
        self.options = dict(options)
        self.tiebreak = tiebreak
        labels = labels or {}
        choices = []
        for key in self.options:
            label = labels.get(key, key.replace("_", " "))
            choices += [(key, f"{label} (ascending)"), (f"-{key}", f"{label} (descending)")]
        kwargs.setdefault("label", "Sort by")
        kwargs.setdefault("empty_label", "Default")
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        descending = value.startswith("-")
        field = F(self.options[value.lstrip("-")])
        order = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        return qs.order_by(order, self.tiebreak)


class SlugFilter(django_filters.ModelChoiceFilter):
    """Filter by the slug of a related entity; an unknown slug is a form error (400)."""

    def __init__(self, *args, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", True)
        super().__init__(*args, queryset=queryset, **kwargs)


class _StrictBooleanWidget(django_filters.widgets.BooleanWidget):
    """Like django-filter's, but hands an unknown value on to the field instead of dropping it."""

    def value_from_datadict(self, data, files, name):
        raw = data.get(name)
        value = super().value_from_datadict(data, files, name)
        if value is None and raw not in (None, ""):
            return raw
        return value


class _StrictBooleanField(forms.NullBooleanField):
    widget = _StrictBooleanWidget

    def to_python(self, value):
        if value in (True, False, None, ""):
            return None if value == "" else value
        raise forms.ValidationError("Enter true or false.", code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    """``true``/``false`` (or 1/0); anything else is a form error (a 400 on the API), not silently ignored."""

    field_class = _StrictBooleanField
