"""Duplicate guards: creating a record the database already holds is answered with the candidates.

What makes two records the same depends on the kind of record, and each app registers
its rule in ``AppConfig.ready`` with :func:`guard_duplicates`:

- :class:`SameName`: an organization, person or technology whose name or one of whose
  aliases equals another's name or alias, ignoring case, accents, punctuation and
  spaces (``lenrnews.names``);
- :class:`SameAddress`: a source whose normalized address (or DOI) another has;
- :class:`SameParties`: a deal or an event of the same kind, with the same parties
  (on the same sides), whose dates overlap within their precision (a deal of "2015"
  overlaps any date in 2015; an unknown date overlaps every date).

Every door asks :func:`duplicate_candidates`: the API answers a create with 409 and
the candidates unless the request says ``"confirm_distinct": true``
(:class:`RefuseDuplicatesMixin`); the admin shows them above the form with a box to
tick (``lenrnews.admin.DuplicateWarningAdmin``). Edits are not guarded. Two creates at
the same moment that would share a slug (or another unique value) are told so with a
409 too (:func:`integrity_conflicts`), never a 500.
"""

import datetime
from calendar import monthrange
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from rest_framework import exceptions, serializers, status

from lenrnews.models import DatePrecision, EntityName
from lenrnews.names import doi_key, name_key, name_keys, url_key

# A 409 lists at most this many candidates.
CANDIDATES_LISTED = 20
HINT = "send confirm_distinct: true to create it anyway"
CONFIRM_HELP = "Create it even though records that look the same exist (only when creating; see the 409's candidates)."


@dataclass(frozen=True)
class Candidate:
    """A record the new one may duplicate, and what they share."""

    record: models.Model
    matched: str

    def as_json(self, request=None) -> dict:
        record = self.record
        if hasattr(record, "slug"):
            body = {"slug": record.slug, "name": str(record), "url": _absolute(request, _public_path(record))}
        else:
            body = {"id": record.pk, "name": str(record), "url": _absolute(request, _api_path(record))}
        body["matched"] = self.matched
        return body


def _public_path(record):
    try:
        return record.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return _api_path(record)


def _api_path(record):
    opts = record._meta
    try:
        return reverse(f"api:{opts.model_name}-detail", kwargs={"pk": record.pk})
    except NoReverseMatch:
        return ""


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None and path else path


class Rule:
    """What makes a new record the same as a stored one."""

    # The record's parties are many-to-many rows the admin edits inline (not fields of its form).
    party_fields: dict[str, str] = {}

    def candidates(self, model, data) -> list[Candidate]:
        raise NotImplementedError

    def describe(self, model) -> str:
        raise NotImplementedError


class SameName(Rule):
    def candidates(self, model, data):
        aliases = data.get("aliases") or ""
        if isinstance(aliases, list | tuple):
            aliases = "\n".join(aliases)
        key, alias_keys = name_keys(data.get("name"), aliases)
        keys = {key, *alias_keys} - {""}
        if not keys:
            return []
        content_type = _content_type(model)
        ids = EntityName.objects.filter(content_type=content_type, key__in=keys).values("object_id")
        found = []
        for record in model._default_manager.filter(pk__in=ids).order_by("pk")[:CANDIDATES_LISTED]:
            shared = [name for name in record.names if name_key(name) in keys]
            which = "name" if shared and shared[0] == record.name else "alias"
            found.append(Candidate(record, f"{which} “{shared[0]}”" if shared else "name"))
        return found

    def describe(self, model):
        return f"{_plural(model).capitalize()} with this name or alias exist (ignoring case and punctuation)"


class SameAddress(Rule):
    def candidates(self, model, data):
        url, doi = url_key(data.get("url")), doi_key(data.get("doi"))
        q = Q(pk__in=[])
        if url:
            q |= Q(url_key=url)
        if doi:
            q |= Q(doi_key=doi)
        found = []
        for record in model._default_manager.filter(q).order_by("pk")[:CANDIDATES_LISTED]:
            matched = "address" if url and record.url_key == url else "DOI"
            found.append(Candidate(record, f"{matched} “{record.url if matched == 'address' else record.doi}”"))
        return found

    def describe(self, model):
        return f"{_plural(model).capitalize()} with this address or DOI exist"


def date_span(value, precision) -> tuple[datetime.date, datetime.date] | None:
    """The days a partial date may be: the day, its month or its year (None when unknown)."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 1, 1), datetime.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1), value.replace(day=monthrange(value.year, value.month)[1])
    return value, value


def spans_overlap(a, b) -> bool:
    """Two partial dates may be the same day (an unknown date may be any)."""
    return a is None or b is None or (a[0] <= b[1] and b[0] <= a[1])


class SameParties(Rule):
    """Same kind, same parties on the same sides, overlapping dates.

    ``party_fields`` maps each many-to-many field of parties to its side ("investor",
    "recipient", or one side for all); a record with no parties is never a duplicate.
    """

    def __init__(self, *, kind_fields, date_field, precision_field, party_fields):
        self.kind_fields = tuple(kind_fields)
        self.date_field = date_field
        self.precision_field = precision_field
        self.party_fields = dict(party_fields)

    def parties(self, data) -> frozenset:
        return frozenset(
            (side, party._meta.label, party.pk)
            for field, side in self.party_fields.items()
            for party in (data.get(field) or ())
        )

    def stored_parties(self, record) -> frozenset:
        return self.parties({field: getattr(record, field).all() for field in self.party_fields})

    def candidates(self, model, data):
        parties = self.parties(data)
        if not parties:
            return []
        kinds = {}
        for name in self.kind_fields:
            value = data.get(name)
            kinds[name] = model._meta.get_field(name).get_default() if value is None else value
        precision = data.get(self.precision_field) or model._meta.get_field(self.precision_field).get_default()
        span = date_span(data.get(self.date_field), precision)
        rows = model._default_manager.filter(**kinds)
        if span is not None:
            margin = datetime.timedelta(days=366)
            rows = rows.filter(
                Q(**{f"{self.date_field}__isnull": True})
                | Q(**{f"{self.date_field}__range": (span[0] - margin, span[1] + margin)})
            )
        side, label, pk = min(parties)
        field = next(f for f, s in self.party_fields.items() if s == side and _party_model(model, f) == label)
        rows = rows.filter(**{field: pk}).prefetch_related(*self.party_fields).order_by("pk")
        found = []
        for record in rows:
            stored_span = date_span(getattr(record, self.date_field), getattr(record, self.precision_field))
            if self.stored_parties(record) == parties and spans_overlap(span, stored_span):
                found.append(Candidate(record, "kind, parties and date"))
                if len(found) == CANDIDATES_LISTED:
                    break
        return found

    def describe(self, model):
        return f"{_plural(model).capitalize()} of the same kind, with the same parties and an overlapping date exist"


def _party_model(model, field):
    return model._meta.get_field(field).related_model._meta.label


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model, for_concrete_model=True)


def _plural(model):
    return str(model._meta.verbose_name_plural)


RULES: dict[type[models.Model], Rule] = {}


def guard_duplicates(model, rule: Rule) -> None:
    """Creating a ``model`` is checked against the stored ones with ``rule``."""
    RULES[model] = rule


def duplicate_candidates(model, data) -> list[Candidate]:
    """The stored records a new ``model`` made of ``data`` (field values; parties as lists) may duplicate."""
    rule = RULES.get(model)
    return rule.candidates(model, data) if rule else []


def duplicate_message(model, candidates) -> str:
    rule = RULES[model]
    listed = ", ".join(f"{c.record} ({getattr(c.record, 'slug', c.record.pk)})" for c in candidates)
    return f"{rule.describe(model)}: {listed}."


class DuplicateConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "duplicate"

    def __init__(self, model, candidates, request=None):
        super().__init__(duplicate_message(model, candidates))
        self.detail = {
            "detail": self.detail,
            "candidates": [candidate.as_json(request) for candidate in candidates],
            "hint": HINT,
        }


class RefuseDuplicatesMixin:
    """A serializer whose creates are refused (409) when the record looks like one already stored.

    ``confirm_distinct: true`` in the payload creates it anyway; the field is only for creating.
    ``duplicate_data(attrs)`` gives the rule the values it compares (by default the validated ones).
    """

    def get_fields(self):
        fields = super().get_fields()
        fields["confirm_distinct"] = serializers.BooleanField(
            write_only=True, required=False, default=False, help_text=CONFIRM_HELP
        )
        return fields

    def to_internal_value(self, data):
        # After each field is checked (a 400 comes first), before the record's own rules (a slug made
        # from the name that is taken would otherwise hide the record that has the name).
        attrs = super().to_internal_value(data)
        confirmed = attrs.pop("confirm_distinct", False)
        if self.instance is not None:
            if confirmed:  # (false asks nothing)
                raise serializers.ValidationError({"confirm_distinct": ["Only for creating a record."]})
            return attrs
        if not confirmed:
            model = self.Meta.model
            candidates = duplicate_candidates(model, self.duplicate_data(attrs))
            if candidates:
                raise DuplicateConflict(model, candidates, self.context.get("request"))
        return attrs

    def duplicate_data(self, attrs):
        return attrs


class SaveConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, model, slug=None, request=None):
        taken = list(model._base_manager.filter(slug=slug)[:1]) if slug and hasattr(model, "slug") else []
        what = f"the slug {slug!r}" if taken else "a value that must be unique"
        super().__init__(
            f"Another {model._meta.verbose_name} with {what} was saved at the same moment: nothing was saved. "
            "Look it up, or send another slug."
        )
        self.detail = {
            "detail": self.detail,
            "candidates": [Candidate(record, "slug").as_json(request) for record in taken],
        }


@contextmanager
def integrity_conflicts(serializer):
    """A write the database refuses for a unique value taken meanwhile is a 409, not a 500.

    Wrap the transaction (not inside it): by the time this answers it has been rolled back.
    """
    try:
        yield
    except IntegrityError as error:
        model = serializer.Meta.model
        slug = getattr(serializer, "validated_data", {}).get("slug")
        raise SaveConflict(model, slug, serializer.context.get("request")) from error
