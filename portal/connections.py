"""Who is connected to whom, and through which record: the links behind timelines and networks.

A *link* joins two parties (organizations, people, technologies) through one record:
a deal (its investors with its recipients, co-parties of a deal with one side only, and
every party with the deal's technologies), an event (its parties with each other and
with its technologies), a stake (an organization and a technology), an affiliation (a
person and an organization) or a parent link (an organization and the one it is part
of). Every record carries its confidence and its dates with their precision.

:func:`links_touching` reads every record that touches a set of parties (or all of
them) in two queries, whatever their number (the pks of the deals and events that name
one of the parties, then a UNION ALL of one branch per kind of row, each with the same
columns). :func:`party_names` reads the names of any set of parties in
one more query.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db.models import BooleanField, CharField, DateField, F, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse

from investments.models import (
    Event,
    EventOrganization,
    EventPerson,
    Investment,
    InvestorOrganization,
    InvestorPerson,
    RecipientOrganization,
    RecipientPerson,
)
from lenrnews.models import Confidence, DatePrecision
from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake

NODE_TYPES = ("organization", "person", "technology")
LINK_KINDS = {
    "deal": "Deal",
    "stake": "Stake",
    "affiliation": "Role",
    "event": "Event",
    "parent": "Parent organization",
}
# A parent link is a profile fact without a confidence of its own: it counts as reported.
PARENT_CONFIDENCE = Confidence.REPORTED
CONFIDENCE_RANK = {level: rank for rank, level in enumerate(Confidence.values)}

COLUMNS = (
    "link_kind",
    "record_id",
    "title",
    "slug",
    "confidence",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "end_unknown",
    "label",
    "a_type",
    "a_id",
    "b_type",
    "b_id",
)


def _null(output_field):
    # A typed NULL: PostgreSQL resolves a UNION's column types pairwise and reads a bare NULL as text.
    return Cast(Value(None), output_field)


def _text(value):
    return Cast(Value(value), CharField())


@dataclass(frozen=True)
class Record:
    """A deal, an event, a stake, a role or a parent link: what a link rests on."""

    kind: str
    pk: int
    title: str
    slug: str
    confidence: str
    start: datetime.date | None
    start_precision: str
    end: datetime.date | None
    end_precision: str
    end_unknown: bool
    label: str

    @property
    def url(self) -> str:
        if self.kind == "deal":
            return reverse("investments:investment_detail", args=[self.slug])
        if self.kind == "event":
            return reverse("investments:event_detail", args=[self.slug])
        return ""

    @property
    def ongoing(self) -> bool:
        """A stake or a role with no end: it holds until today and is drawn open."""
        return self.kind in ("stake", "affiliation") and self.end is None and not self.end_unknown


@dataclass
class Links:
    """The links found, each ``(a, b, record)`` with ``a`` and ``b`` as ``(type, id)``; and every record's parties."""

    links: list[tuple[tuple[str, int], tuple[str, int], Record]] = field(default_factory=list)
    parties: dict[tuple[str, int], list[tuple[str, int, str]]] = field(default_factory=dict)
    records: dict[tuple[str, int], Record] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkFilters:
    """What the network may draw: kinds of link, a confidence floor, a year range (dated links only)."""

    kinds: tuple[str, ...] = tuple(LINK_KINDS)
    min_confidence: str = Confidence.DENIED
    year_min: int | None = None
    year_max: int | None = None

    @property
    def levels(self):
        return Confidence.at_least(self.min_confidence)


ALL_LINKS = LinkFilters()


def _columns(**values):
    """Every column of the union, named apart from the model's own fields (``c_<column>``)."""
    missing = set(COLUMNS) - set(values)
    assert not missing, missing
    return {f"c_{name}": value for name, value in values.items()}


def _party_branches(filters, touching):
    """Deal and event party rows (one per party or technology of each record), as queryset branches."""
    branches = []
    years = Q()
    touched = _records_touching(touching, filters.kinds) if touching is not None else {}
    if "deal" in filters.kinds:
        deals = Investment.objects.filter(confidence__in=filters.levels)
        if filters.year_min is not None:
            # A deal is dated by its announcement, or spans to its end when it ended.
            deals = deals.filter(Q(announced_on__year__gte=filters.year_min) | Q(ended_on__year__gte=filters.year_min))
        if filters.year_max is not None:
            deals = deals.filter(announced_on__year__lte=filters.year_max)
        if touching is not None:
            deals = deals.filter(pk__in=touched["deal"])
        deal_columns = {
            "link_kind": _text("deal"),
            "record_id": F("investment_id"),
            "title": F("investment__title"),
            "slug": F("investment__slug"),
            "confidence": F("investment__confidence"),
            "start": F("investment__announced_on"),
            "start_precision": F("investment__date_precision"),
            "end": F("investment__ended_on"),
            "end_precision": _text(DatePrecision.DAY),
            "end_unknown": Value(False, output_field=BooleanField()),
            "b_type": _null(CharField()),
            "b_id": _null(IntegerField()),
        }
        ids = deals.order_by().values("pk")
        for model, side, node in (
            (InvestorOrganization, "investor", "organization"),
            (InvestorPerson, "investor", "person"),
            (RecipientOrganization, "recipient", "organization"),
            (RecipientPerson, "recipient", "person"),
            (Investment.technologies.through, "technology", "technology"),
        ):
            branches.append(
                model.objects.filter(investment__in=ids).annotate(
                    **_columns(**deal_columns, label=_text(side), a_type=_text(node), a_id=F(f"{node}_id"))
                )
            )
    if "event" in filters.kinds:
        events = Event.objects.filter(confidence__in=filters.levels)
        if filters.year_min is not None:
            years &= Q(occurred_on__year__gte=filters.year_min)
        if filters.year_max is not None:
            years &= Q(occurred_on__year__lte=filters.year_max)
        events = events.filter(years)
        if touching is not None:
            events = events.filter(pk__in=touched["event"])
        event_columns = {
            "link_kind": _text("event"),
            "record_id": F("event_id"),
            "title": F("event__title"),
            "slug": F("event__slug"),
            "confidence": F("event__confidence"),
            "start": F("event__occurred_on"),
            "start_precision": F("event__date_precision"),
            "end": _null(DateField()),
            "end_precision": _text(DatePrecision.DAY),
            "end_unknown": Value(False, output_field=BooleanField()),
            "b_type": _null(CharField()),
            "b_id": _null(IntegerField()),
        }
        ids = events.order_by().values("pk")
        for model, node, role in (
            (EventOrganization, "organization", F("role")),
            (EventPerson, "person", F("role")),
            (Event.technologies.through, "technology", _text("")),
        ):
            branches.append(
                model.objects.filter(event__in=ids).annotate(
                    **_columns(**event_columns, label=role, a_type=_text(node), a_id=F(f"{node}_id"))
                )
            )
    return branches


# The rows that name a party of a deal or an event: (kind of record, model, its record field, the party it names).
PARTY_ROWS = (
    ("deal", InvestorOrganization, "investment", "organization"),
    ("deal", RecipientOrganization, "investment", "organization"),
    ("deal", InvestorPerson, "investment", "person"),
    ("deal", RecipientPerson, "investment", "person"),
    ("deal", Investment.technologies.through, "investment", "technology"),
    ("event", EventOrganization, "event", "organization"),
    ("event", EventPerson, "event", "person"),
    ("event", Event.technologies.through, "event", "technology"),
)


def _records_touching(touching, kinds):
    """The pks of the deals and events (``{"deal": [...], "event": [...]}``) that name a party in ``touching``.

    One query, a UNION of the party rows: its pks go into the link query as a list, which
    PostgreSQL reads by index in each branch (as a subquery it scanned every deal once per branch).
    """
    parts = [
        model.objects.filter(**{f"{node}_id__in": touching[node]}).order_by().values_list(_text(kind), record)
        for kind, model, record, node in PARTY_ROWS
        if kind in kinds and touching.get(node)
    ]
    touched: dict[str, list[int]] = {"deal": [], "event": []}
    if parts:
        for kind, pk in parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]:
            touched[kind].append(pk)
    return touched


def _period_filter(filters, start, end):
    """A stake or a role overlapping the year range: it starts by its end and ends (or holds) after its start."""
    q = Q(**{f"{start}__isnull": False})
    if filters.year_max is not None:
        q &= Q(**{f"{start}__year__lte": filters.year_max})
    if filters.year_min is not None:
        q &= Q(**{f"{end}__year__gte": filters.year_min}) | Q(**{f"{end}__isnull": True, f"{end}_unknown": False})
    return q


def _period_branch(model, filters, touching, *, kind, title, start, end, label, a, b):
    """Stakes or roles (``model``): rows over a period from ``start`` to ``end`` (each field with its
    ``_precision``, the end with its ``_unknown``) that name both their parties, ``a`` and ``b``."""
    rows = model.objects.filter(confidence__in=filters.levels)
    if filters.year_min is not None or filters.year_max is not None:
        rows = rows.filter(_period_filter(filters, start, end))
    if touching is not None:
        rows = rows.filter(Q(**{f"{a}_id__in": touching.get(a) or ()}) | Q(**{f"{b}_id__in": touching.get(b) or ()}))
    return rows.annotate(
        **_columns(
            link_kind=_text(kind),
            record_id=F("pk"),
            title=title,
            slug=_text(""),
            confidence=F("confidence"),
            start=F(start),
            start_precision=F(f"{start}_precision"),
            end=F(end),
            end_precision=F(f"{end}_precision"),
            end_unknown=F(f"{end}_unknown"),
            label=F(label),
            a_type=_text(a),
            a_id=F(f"{a}_id"),
            b_type=_text(b),
            b_id=F(f"{b}_id"),
        )
    )


def _direct_branches(filters, touching):
    """Stakes, roles and parent links: rows that name both of their parties."""
    branches = []
    years_given = filters.year_min is not None or filters.year_max is not None
    if "stake" in filters.kinds:
        branches.append(
            _period_branch(
                TechnologyStake,
                filters,
                touching,
                kind="stake",
                title=_text(""),
                start="since",
                end="until",
                label="kind",
                a="organization",
                b="technology",
            )
        )
    if "affiliation" in filters.kinds:
        branches.append(
            _period_branch(
                Affiliation,
                filters,
                touching,
                kind="affiliation",
                title=F("title"),
                start="start",
                end="end",
                label="role",
                a="person",
                b="organization",
            )
        )
    if "parent" in filters.kinds and PARENT_CONFIDENCE in filters.levels and not years_given:
        parents = Organization.objects.filter(parent__isnull=False)
        if touching is not None:
            ids = touching.get("organization") or ()
            parents = parents.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
        branches.append(
            parents.annotate(
                **_columns(
                    link_kind=_text("parent"),
                    record_id=F("pk"),
                    title=_text(""),
                    slug=_text(""),
                    confidence=_text(PARENT_CONFIDENCE),
                    start=_null(DateField()),
                    start_precision=_text(DatePrecision.YEAR),
                    end=_null(DateField()),
                    end_precision=_text(DatePrecision.YEAR),
                    end_unknown=Value(False, output_field=BooleanField()),
                    label=_text("subsidiary"),
                    a_type=_text("organization"),
                    a_id=F("pk"),
                    b_type=_text("organization"),
                    b_id=F("parent_id"),
                )
            )
        )
    return branches


def links_touching(touching=None, filters=None) -> Links:
    """Every link of a record that names one of the parties in ``touching`` (``{"organization": ids, ...}``;
    None: every record), within ``filters``. Two queries (one for every record)."""
    filters = filters or ALL_LINKS
    branches = [
        branch.order_by().values_list(*(f"c_{name}" for name in COLUMNS))
        for branch in _party_branches(filters, touching) + _direct_branches(filters, touching)
    ]
    result = Links()
    if not branches:
        return result
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    for (
        kind,
        pk,
        title,
        slug,
        confidence,
        start,
        start_precision,
        end,
        end_precision,
        end_unknown,
        label,
        a_type,
        a_id,
        b_type,
        b_id,
    ) in rows:
        key = (kind, pk)
        if key not in result.records:
            result.records[key] = Record(
                kind=kind,
                pk=pk,
                title=title or "",
                slug=slug or "",
                confidence=confidence,
                start=start,
                start_precision=start_precision or DatePrecision.DAY,
                end=end,
                end_precision=end_precision or DatePrecision.DAY,
                end_unknown=bool(end_unknown),
                label=label or "",
            )
        if b_type is None:
            result.parties.setdefault(key, []).append((a_type, a_id, label or ""))
        else:
            result.links.append(((a_type, a_id), (b_type, b_id), result.records[key]))
    for key, parties in result.parties.items():
        result.links += _party_pairs(result.records[key], parties)
    return result


def _party_pairs(record, parties):
    """The links a deal or an event makes between its parties."""
    nodes = [(t, i) for t, i, _ in parties if t != "technology"]
    technologies = [(t, i) for t, i, _ in parties if t == "technology"]
    pairs = []
    if record.kind == "deal":
        investors = [(t, i) for t, i, side in parties if side == "investor"]
        recipients = [(t, i) for t, i, side in parties if side == "recipient"]
        if investors and recipients:
            pairs += [(a, b) for a in investors for b in recipients]
        else:
            side = investors or recipients
            pairs += [(a, b) for n, a in enumerate(side) for b in side[n + 1 :]]
    else:
        unique = list(dict.fromkeys(nodes))
        pairs += [(a, b) for n, a in enumerate(unique) for b in unique[n + 1 :]]
    pairs += [(a, t) for a in dict.fromkeys(nodes) for t in technologies]
    return [(a, b, record) for a, b in pairs if a != b]


@dataclass(frozen=True)
class Party:
    type: str
    pk: int
    name: str
    slug: str
    detail: str

    @property
    def key(self):
        return (self.type, self.pk)

    @property
    def url(self):
        return reverse(f"organizations:{self.type}_detail", args=[self.slug])


def party_names(keys) -> dict[tuple[str, int], Party]:
    """The name, slug and kind of each ``(type, pk)`` party. One query (none without parties)."""
    wanted: dict[str, set[int]] = {}
    for node_type, pk in keys:
        wanted.setdefault(node_type, set()).add(pk)
    branches = []
    for node_type, model, detail in (
        ("organization", Organization, F("kind")),
        ("person", Person, F("country")),
        ("technology", Technology, F("approach")),
    ):
        if wanted.get(node_type):
            branches.append(
                model.objects.filter(pk__in=wanted[node_type])
                .order_by()
                .annotate(node_type=_text(node_type), node_detail=Cast(detail, CharField()))
                .values_list("node_type", "pk", "name", "slug", "node_detail")
            )
    if not branches:
        return {}
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    return {(t, pk): Party(t, pk, name, slug, detail or "") for t, pk, name, slug, detail in rows}


def node_of(entity) -> tuple[str, int]:
    """``(type, pk)`` of an organization, a person or a technology."""
    for node_type, model in (("organization", Organization), ("person", Person), ("technology", Technology)):
        if isinstance(entity, model):
            return (node_type, entity.pk)
    raise forms.ValidationError("Not an organization, a person or a technology.")
