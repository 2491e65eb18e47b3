"""Filter building blocks shared by the listings of every app."""

import datetime
import re
import unicodedata

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django_filters.constants import EMPTY_VALUES
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from lenrnews.models import Confidence, Deletion, split_aliases
from lenrnews.search import filter_by_text

# A slug as the API's addresses accept it (lenrnews.rest.SLUG_PATTERN; that module imports this one).
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


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
        self.labels = labels = labels or {}
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


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"})
class RowSlugFilter(SlugFilter):
    """A :class:`SlugFilter` on a field of the related rows of a :class:`RowFilterSet` (a stake's technology).

    Typed for the API schema, which looks for ``field_name`` on the listed model and would not find it.
    """


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


class ConfidenceFilter(django_filters.MultipleChoiceFilter):
    """``confidence``: claims at any of the given levels."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", Confidence.choices)
        kwargs.setdefault("label", "Confidence")
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class MinConfidenceFilter(django_filters.ChoiceFilter):
    """``min_confidence``: claims this sure or surer (``Confidence.at_least``), by default the row's own."""

    def __init__(self, *args, field_name="confidence", **kwargs):
        kwargs.setdefault("choices", Confidence.choices)
        kwargs.setdefault("label", "At least")
        super().__init__(*args, field_name=field_name, lookup_expr="in", **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return super().filter(qs, Confidence.at_least(value))


class SelfClaimFilter(BooleanFilter):
    """``self_claim``: claims with a source in which one of their own parties speaks (true), or with at
    least one source in which none does (false). Whether a source is a self-claim depends on the claim
    it is cited for: the claim model's ``self_claim_source()`` says it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Self-claim sources")
        kwargs.setdefault("help_text", "Yes: resting on a party's own claim. No: with at least one independent source.")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        through = qs.model._meta.get_field("sources").remote_field.through
        own = next(f.name for f in through._meta.fields if f.related_model is qs.model)
        rows = through.objects.filter(**{own: OuterRef("pk")})
        speaks = qs.model.self_claim_source()
        return qs.filter(Exists(rows.filter(speaks) if value else rows.exclude(speaks)))


class ClaimFilter(django_filters.FilterSet):
    """The filters of a claim (a deal, an affiliation, a stake, an event): how sure we are, and on whose word.

    A subclass inherits ``confidence``, ``min_confidence`` and ``self_claim``, or declares
    its own under the same name for another label or help text. In its form (the listing's
    controls, in order) the inherited ones come right after its own filter named
    ``claim_filters_after``, or after all of its own filters when that is None.
    """

    claim_filters_after: str | None = None

    confidence = ConfidenceFilter()
    min_confidence = MinConfidenceFilter()
    self_claim = SelfClaimFilter()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = cls.declared_filters
        inherited = [name for name, claim in ClaimFilter.declared_filters.items() if declared.get(name) is claim]
        # The subclass's own filters in the order written (django-filter keeps a redeclared one in the base's place).
        order = sorted((name for name in declared if name not in inherited), key=lambda n: declared[n].creation_counter)
        at = order.index(cls.claim_filters_after) + 1 if cls.claim_filters_after else len(order)
        order[at:at] = inherited
        cls.declared_filters = {name: declared[name] for name in order}


def without_empty_values(query):
    """The query with every empty value left out: ``?country=`` filters nothing, on the pages and in the API."""
    kept = query.copy()
    for key, values in query.lists():
        kept.setlist(key, [value for value in values if value != ""])
        if not kept.getlist(key):
            del kept[key]
    return kept


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time, as the same instant in UTC: PostgreSQL refuses an offset beyond 15:59
    (Python takes up to 23:59), and an instant outside the years 1 to 9999 is a clear error."""

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return value
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("Give a date-time between the years 1 and 9999.", code="invalid") from None


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class UpdatedSinceFilter(IsoDateTimeFilter):
    """``updated_since``: the rows changed at or after this time (any of ``fields``), for clients that mirror a list."""

    def __init__(self, *args, fields=("updated_at",), **kwargs):
        self.fields = tuple(fields)
        kwargs.setdefault("label", "Changed since")
        kwargs.setdefault(
            "help_text",
            "An ISO 8601 date-time (2026-01-31T12:00:00Z): the rows changed at or after it. "
            "With ordering=updated_at, page through everything changed since a client last looked; "
            "what was deleted is at /api/v1/deletions/?since=.",
        )
        super().__init__(*args, field_name=self.fields[0], **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        condition = Q()
        for field in self.fields:
            condition |= Q(**{f"{field}__gte": value})
        return qs.filter(condition)


_SYNC_FILTERSETS: dict[tuple, type] = {}


def sync_filterset(filterset_class, updated_since_fields):
    """``filterset_class`` with what API clients that mirror a list need: ``updated_since``, ``ordering=updated_at``.

    The listing pages keep their own FilterSet; the API's adds these two (made once per class).
    """
    key = (filterset_class, tuple(updated_since_fields))
    if key not in _SYNC_FILTERSETS:
        attrs: dict = {"updated_since": UpdatedSinceFilter(fields=updated_since_fields)}
        ordering = filterset_class.base_filters.get("ordering")
        if isinstance(ordering, SortFilter):
            if "updated_at" not in ordering.options:
                attrs["ordering"] = SortFilter(
                    options={**ordering.options, "updated_at": "updated_at"},
                    labels={**ordering.labels, "updated_at": "last change"},
                    tiebreak=ordering.tiebreak,
                    label=ordering.label,
                )
        elif ordering is None:
            attrs["ordering"] = SortFilter(options={"updated_at": "updated_at"}, labels={"updated_at": "last change"})
        attrs["Meta"] = type("Meta", (filterset_class.Meta,), {})
        _SYNC_FILTERSETS[key] = type(filterset_class.__name__, (filterset_class,), attrs)
    return _SYNC_FILTERSETS[key]


class APIFilterBackend(DjangoFilterBackend):
    """django-filter's backend for the API: the page's FilterSet, plus ``updated_since`` and ``ordering=updated_at``.

    An empty value filters nothing (``?kind=``), as on the pages. A value that doesn't
    parse is a 400 naming the parameter; a parameter the FilterSet doesn't have is the
    viewset's 400 (``lenrnews.rest.StrictQueryMixin``, which asks ``parameter_names``).
    """

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        fields = getattr(view, "updated_since_fields", None)
        if filterset_class is None or not fields:
            return filterset_class
        return sync_filterset(filterset_class, fields)

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["data"] = without_empty_values(request.query_params)
        return kwargs

    def parameter_names(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        return list(filterset_class.base_filters) if filterset_class is not None else []


def deletion_filterset(types):
    """The FilterSet of ``/api/v1/deletions/``; ``types`` maps each resource name to its model's label."""

    class DeletionFilter(django_filters.FilterSet):
        since = IsoDateTimeFilter(
            field_name="deleted_at",
            lookup_expr="gte",
            label="Since",
            help_text="An ISO 8601 date-time (2026-01-31T12:00:00Z): what went at or after it.",
        )
        type = django_filters.MultipleChoiceFilter(
            choices=[(name, name) for name in sorted(types)],
            method="filter_type",
            label="Resource",
            help_text="Only these resources (repeat the parameter for several).",
        )

        class Meta:
            model = Deletion
            fields: list[str] = []

        def filter_type(self, queryset, name, value):
            return queryset.filter(model__in=[types[resource] for resource in value]) if value else queryset

    return DeletionFilter


class CurrentFilter(django_filters.ChoiceFilter):
    """``current``: claims that hold today (``true``), those that ended (``false``), or both (``any``).

    A claim is current when it has no end, no end of unknown date, and does not end
    before tomorrow. ``end_field`` names the end date; ``<end_field>_unknown`` marks an
    end whose date no source gives.
    """

    CHOICES = [("true", "Current"), ("false", "Former"), ("any", "Current and former")]

    def __init__(self, *args, end_field="until", **kwargs):
        self.end_field = end_field
        kwargs.setdefault("choices", self.CHOICES)
        kwargs.setdefault("label", "Current or former")
        kwargs.setdefault("empty_label", "Current (default)")
        super().__init__(*args, **kwargs)

    def current_q(self, prefix=""):
        today = datetime.date.today()
        end = f"{prefix}{self.end_field}"
        return Q(**{f"{end}_unknown": False}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": today}))

    def row_q(self, value):
        if value == "any":
            return Q()
        return self.current_q() if value in ("true", None, "") else ~self.current_q()

    def filter(self, qs, value):
        if value in EMPTY_VALUES or value == "any":
            return qs
        return qs.filter(self.row_q(value))


class RowFilterSet(django_filters.FilterSet):
    """A FilterSet whose filters on a multi-valued relation all apply to one and the same related row.

    ``row_filters = {"stakes": ["technology", "stake", ...]}``: those filters' ``field_name``
    is a field of the related row (a stake), and together they ask for one stake that
    meets every condition, not one stake per condition. A relation's ``current`` filter
    (a :class:`CurrentFilter`), when the reader leaves it out, keeps the rows that hold
    today: "holds a Ni-H technology" means now, unless ``current=false`` or ``any``.
    """

    row_filters: dict[str, list[str]] = {}

    def filter_queryset(self, queryset):
        grouped = {name: relation for relation, names in self.row_filters.items() for name in names}
        conditions: dict[str, Q] = {}
        for name, value in self.form.cleaned_data.items():
            relation = grouped.get(name)
            if relation is None:
                queryset = self.filters[name].filter(queryset, value)
                continue
            filter_ = self.filters[name]
            if isinstance(filter_, CurrentFilter) or value in EMPTY_VALUES:
                continue
            conditions[relation] = conditions.get(relation, Q()) & row_condition(filter_, value)
        for relation, condition in conditions.items():
            for name in self.row_filters[relation]:
                filter_ = self.filters[name]
                if isinstance(filter_, CurrentFilter):
                    condition &= filter_.row_q(self.form.cleaned_data.get(name))
            field = queryset.model._meta.get_field(relation)
            rows = field.related_model._default_manager.filter(**{field.field.name: OuterRef("pk")}).filter(condition)
            queryset = queryset.filter(Exists(rows))
        for relation, names in self.row_filters.items():
            if relation in conditions:
                continue
            # Only ``current`` given: the rows it names (``any``: a row, current or former), no other condition.
            for name in names:
                filter_ = self.filters[name]
                value = self.form.cleaned_data.get(name)
                if isinstance(filter_, CurrentFilter) and value not in EMPTY_VALUES:
                    field = queryset.model._meta.get_field(relation)
                    rows = field.related_model._default_manager.filter(**{field.field.name: OuterRef("pk")})
                    queryset = queryset.filter(Exists(rows.filter(filter_.row_q(value))))
        return queryset


def row_condition(filter_, value) -> Q:
    """What ``filter_`` asks of one related row, as a ``Q`` over the row's fields."""
    if isinstance(filter_, MinConfidenceFilter):
        return Q(**{f"{filter_.field_name}__in": Confidence.at_least(value)})
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        return Q(**{f"{filter_.field_name}__in": value})
    if isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
        return Q(**{f"{filter_.field_name}__in": value})
    return Q(**{f"{filter_.field_name}__{filter_.lookup_expr}": value})


# How many names a filter's suggestion list offers (the first by name); the API suggests the rest.
SUGGESTIONS = 50


def _names(obj) -> list[str]:
    return [obj.name, *split_aliases(getattr(obj, "aliases", ""))]


def _loose(text: str) -> str:
    """Case, accents, punctuation and spacing do not tell two names apart."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[\W_]+", "", folded)


def _has_aliases(model) -> bool:
    return any(field.name == "aliases" for field in model._meta.concrete_fields)


def _name_or_alias_contains(model, word) -> Q:
    q = Q(name__icontains=word)
    return q | Q(aliases__icontains=word) if _has_aliases(model) else q


def resolve_entity(querysets, value):
    """The one entity among ``querysets`` whose slug, name or alias is ``value``; a form error otherwise.

    A slug wins outright. Otherwise names and aliases are compared loosely (case,
    accents, punctuation). None found: the error suggests names that contain it; several:
    it names them all, so the reader can choose ("Did you mean ... or ...?").
    """
    value = (value or "").strip()
    for queryset in querysets:
        found = queryset.filter(slug=value).first() if SLUG_RE.fullmatch(value) else None
        if found is not None:
            return found
    key = _loose(value)
    if not key:
        raise forms.ValidationError("Type a name, an alias or a slug.", code="invalid")
    matches = []
    for queryset in querysets:
        # The database narrows (a word of the name), Python compares the whole names loosely.
        word = max(re.findall(r"\w+", value), key=len, default=value)
        fields = ["pk", "slug", "name", *(["aliases"] if _has_aliases(queryset.model) else [])]
        rows = queryset.filter(_name_or_alias_contains(queryset.model, word)).only(*fields)
        matches += [row for row in rows[:200] if any(_loose(name) == key for name in _names(row))]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = " or ".join(f"{row.name} ({row.slug})" for row in matches[:5])
        # What was typed and the names go in as params: a "%" in them is text, never a format.
        raise forms.ValidationError(
            "“%(value)s” could be %(names)s: choose one by its name or slug.",
            code="ambiguous",
            params={"value": value, "names": names},
        )
    near = []
    for queryset in querysets:
        word = max(re.findall(r"\w+", value), key=len, default=value)
        near += list(queryset.filter(_name_or_alias_contains(queryset.model, word)).only("slug", "name")[:5])
    hint = f" Did you mean {' or '.join(row.name for row in near[:5])}?" if near else ""
    raise forms.ValidationError(
        "Nothing is named “%(value)s”.%(hint)s", code="invalid_choice", params={"value": value, "hint": hint}
    )


class EntityNameField(forms.CharField):
    """A related entity typed as its name, an alias or its slug; cleans to the entity."""

    def __init__(self, *args, querysets=(), **kwargs):
        self.querysets = querysets
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in EMPTY_VALUES:
            return None
        return resolve_entity([qs.all() for qs in self.querysets], value)


@extend_schema_field(OpenApiTypes.STR)
class EntityFilter(django_filters.Filter):
    """Filter by a related entity named by its slug, its name or an alias (an unknown or ambiguous name is a 400).

    ``querysets`` are the kinds it may name (an investor is an organization or a person);
    ``field_name`` the relation, or ``method`` for one that depends on the kind.
    """

    field_class = EntityNameField

    def __init__(self, *args, querysets, **kwargs):
        self.querysets = querysets
        kwargs.setdefault("distinct", True)
        kwargs["querysets"] = querysets
        super().__init__(*args, **kwargs)
