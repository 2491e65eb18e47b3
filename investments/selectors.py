"""Reads of deal and event data that other apps' pages show: an organization's deal
statistics, its deals, the most recently active organizations, and events as rows.

They live here, beside the deals, because the data is this app's. The apps below
(``organizations``) import this module inside the functions that use it, never at the
top of a module; pyproject.toml's import-linter contract lists those imports.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict

from django.db import connections
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    Field,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest

from lenrnews.models import Confidence
from organizations.models import Organization

from .models import Event, Investment, InvestorOrganization, InvestorPerson, RecipientOrganization, RecipientPerson

# The home page looks for the most recently active organizations in this many latest deals.
RECENT_DEALS = 50

# One level's figures in a summary: ``{"count": int, "disclosed": int, "usd": Decimal | None, "converted": int}``.
LevelFigures = dict[str, Any]
# Every level's figures, by level of confidence.
Figures = dict[str, LevelFigures]
# One group of the deals summary (see :func:`summary_group`).
SummaryGroup = dict[str, Any]
# What deal_summary adds up for one country and level: ``(country, level, count, usd, converted, disclosed)``.
CountryRow = tuple[str | None, str, int, Decimal | None, int, int]
# One deal's money for an organization: ``(year, level, usd, shared, converted)``.
MoneyRow = tuple[int | None, str, Decimal | None, bool, bool]


class DealTotals(TypedDict):
    """The disclosed USD of some deals (:func:`deal_totals`, :func:`totals_of`)."""

    counted: Decimal | None
    approximate: bool
    apart: list[tuple[str, str, Decimal]]


def _subquery_aggregate(queryset: QuerySet[Any], group_by: str, aggregate: Aggregate, output_field: Field) -> Subquery:
    """One aggregate of ``queryset`` per outer row, as a scalar subquery (no row fan-out)."""
    return Subquery(
        queryset.order_by().values(group_by).annotate(result=aggregate).values("result")[:1],
        output_field=output_field,
    )


# Totals count these by default; rumored, disputed and denied deals are shown apart.
COUNTED = Confidence.at_least(Confidence.REPORTED)


def organization_deal_stats(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """``organizations`` annotated with ``deal_count``, ``deals_made``, ``deals_received``,
    ``total_raised_usd``, ``shared_deals``, ``shared_raised_usd``, ``raised_is_approximate`` and
    ``latest_deal_on``.

    Deals made count as investor, deals received as recipient. The total raised never
    adds a shared deal in full to several organizations: it is what the organization
    received alone, plus its own part of a shared deal when the sources give it; the
    shared deals without a part of its own are counted apart (``shared_deals``, and the
    deals' whole ``shared_raised_usd``). Only confirmed and reported deals count towards
    the money. A total with an amount converted from another currency is approximate.
    Subqueries keep it one query whatever the number of rows.
    """
    received = RecipientOrganization.objects.filter(organization=OuterRef("pk"), investment__deleted_at__isnull=True)
    made = InvestorOrganization.objects.filter(organization=OuterRef("pk"), investment__deleted_at__isnull=True)
    money = DecimalField(max_digits=18, decimal_places=2)
    others = RecipientOrganization.objects.filter(investment=OuterRef("investment")).exclude(
        organization=OuterRef("organization")
    )
    counted = received.filter(investment__confidence__in=COUNTED).annotate(shared=Exists(others))
    own_part = counted.filter(Q(shared=False, investment__amount_usd__isnull=False) | Q(amount_usd__isnull=False))
    shared_only = counted.filter(shared=True, amount_usd__isnull=True, investment__amount_usd__isnull=False)
    received_last = _subquery_aggregate(received, "organization", Max("investment__announced_on"), DateField())
    made_last = _subquery_aggregate(made, "organization", Max("investment__announced_on"), DateField())
    return organizations.annotate(
        deals_received=Coalesce(_subquery_aggregate(received, "organization", Count("pk"), IntegerField()), Value(0)),
        deals_made=Coalesce(_subquery_aggregate(made, "organization", Count("pk"), IntegerField()), Value(0)),
        total_raised_usd=_subquery_aggregate(
            own_part, "organization", Sum(Coalesce("amount_usd", "investment__amount_usd")), money
        ),
        shared_deals=Coalesce(_subquery_aggregate(shared_only, "organization", Count("pk"), IntegerField()), Value(0)),
        shared_raised_usd=_subquery_aggregate(shared_only, "organization", Sum("investment__amount_usd"), money),
        raised_is_approximate=Exists(own_part.exclude(investment__currency="USD")),
        # GREATEST treats NULL differently on SQLite and PostgreSQL; coalescing
        # each side with the other gives the same answer on both.
        latest_deal_on=Greatest(Coalesce(received_last, made_last), Coalesce(made_last, received_last)),
    ).annotate(deal_count=F("deals_received") + F("deals_made"))


def organization_latest_deal_precision(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate ``latest_deal_precision``: how much of ``latest_deal_on`` is known.

    The latest deal received and the latest made are looked up separately (each
    subquery uses its own index; one OR-ed subquery is many times slower).
    """
    newest_first = (F("announced_on").desc(nulls_last=True), "-pk")
    received = Investment.objects.filter(recipientorganization__organization=OuterRef("pk")).order_by(*newest_first)
    made = Investment.objects.filter(investororganization__organization=OuterRef("pk")).order_by(*newest_first)
    return organizations.annotate(
        received_on=Subquery(received.values("announced_on")[:1]),
        received_precision=Subquery(received.values("date_precision")[:1]),
        made_on=Subquery(made.values("announced_on")[:1]),
        made_precision=Subquery(made.values("date_precision")[:1]),
        latest_deal_precision=Case(
            When(Q(received_on__isnull=True) | Q(made_on__gt=F("received_on")), then=F("made_precision")),
            default=F("received_precision"),
        ),
    )


def organization_deal_summary(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """What a page says of each organization's deals: the statistics and how precise the latest date is."""
    return organization_latest_deal_precision(organization_deal_stats(organizations))


# What a deal card shows: every party, the technologies, the move that set its status.
DEAL_CARD_PREFETCHES = ["investors", "investor_people", "recipients", "recipient_people", "technologies"]
# Each party row with its party, one query a side: ``Investment.party_rows``.
PARTY_ROW_PREFETCHES = [
    Prefetch("investororganization_set", queryset=InvestorOrganization.objects.select_related("organization")),
    Prefetch("investorperson_set", queryset=InvestorPerson.objects.select_related("person")),
    Prefetch("recipientorganization_set", queryset=RecipientOrganization.objects.select_related("organization")),
    Prefetch("recipientperson_set", queryset=RecipientPerson.objects.select_related("person")),
]


def deal_cards() -> QuerySet[Investment]:
    """Deals with what a deal card shows: the parties, the technologies and the status."""
    return Investment.objects.select_related("status_event").prefetch_related(*DEAL_CARD_PREFETCHES)


def event_rows() -> QuerySet[Event]:
    """Events as a list of them shows them (title, kind, date, confidence), latest first and undated last."""
    return Event.objects.only(
        "title", "slug", "kind", "new_status", "occurred_on", "date_precision", "confidence"
    ).order_by(F("occurred_on").desc(nulls_last=True), "-pk")


def organization_deals(organization: Organization, limit: int) -> QuerySet[Investment]:
    """The latest ``limit`` deals the organization made or received, as cards.

    Their ids come from a UNION of two index lookups: a join on investors needs
    DISTINCT, and an OR makes the database read every deal.
    """
    ids = (
        RecipientOrganization.objects.filter(organization=organization)
        .order_by()
        .values("investment")
        .union(InvestorOrganization.objects.filter(organization=organization).order_by().values("investment"))
    )
    return deal_cards().filter(pk__in=ids)[:limit]


def recently_active_organization_ids(count: int, window: int = RECENT_DEALS) -> list[int]:
    """The pks of the ``count`` organizations with the latest deals, and of those tied with them.

    Ordering every organization by its latest deal computes the statistics of all of
    them; the most recently active are the parties of the latest deals, which the
    index on ``announced_on`` finds at once (two queries). Exact as long as the
    ``window`` latest dated deals (and those on the same day as the last of them)
    involve ``count`` organizations.
    """
    dated = Investment.objects.filter(announced_on__isnull=False).order_by(F("announced_on").desc())
    # The window's oldest date (with fewer deals than the window, every deal), looked up
    # first: with the date as a value the database plans for a few rows, not a third.
    since = dated.values_list("announced_on", flat=True)[window - 1 : window].first() or datetime.date.min
    recent = Investment.objects.filter(announced_on__gte=since).order_by()
    parties = (
        RecipientOrganization.objects.filter(investment__in=recent)
        .values_list("investment__announced_on", "organization_id")
        .union(
            InvestorOrganization.objects.filter(investment__in=recent).values_list(
                "investment__announced_on", "organization_id"
            ),
            all=True,
        )
        .order_by()
    )
    latest: dict[int, datetime.date] = {}
    for announced_on, organization_id in parties:
        if (
            organization_id is not None
            and announced_on is not None
            and announced_on > latest.get(organization_id, datetime.date.min)
        ):
            latest[organization_id] = announced_on
    dates = sorted(latest.values(), reverse=True)
    if len(dates) <= count:
        return list(latest)
    return [pk for pk, announced_on in latest.items() if announced_on >= dates[count - 1]]


def recently_active_organizations(count: int) -> QuerySet[Organization]:
    """The ``count`` organizations with the latest deals, latest first, with :func:`organization_deal_summary`."""
    return (
        organization_deal_summary(Organization.objects.all())
        # The stubs know an annotation only where it is made, not across a function's return.
        .filter(pk__in=recently_active_organization_ids(count), latest_deal_on__isnull=False)  # type: ignore[misc]
        .order_by(F("latest_deal_on").desc(), "name")[:count]
    )


def deal_totals(deals: QuerySet[Investment]) -> DealTotals:
    """The disclosed USD of ``deals``: confirmed and reported counted, the other levels apart.

    ``{"counted": Decimal|None, "approximate": bool, "apart": [(level, label, Decimal)]}``;
    approximate when an amount counted was converted from another currency. One query.
    """
    rows = (
        deals.order_by()
        .values("confidence")
        .annotate(
            total=Sum("amount_usd"),
            converted=Count("pk", filter=Q(amount_usd__isnull=False) & ~Q(currency="USD")),
        )
    )
    by_level = {row["confidence"]: row for row in rows}
    counted = [by_level[level] for level in COUNTED if level in by_level]
    totals = [row["total"] for row in counted if row["total"] is not None]
    apart = [
        (level, label, by_level[level]["total"])
        for level, label in Confidence.choices
        if level not in COUNTED and level in by_level and by_level[level]["total"] is not None
    ]
    return {
        "counted": sum(totals) if totals else None,
        "approximate": any(row["converted"] for row in counted),
        "apart": apart,
    }


# How the deals summary (the API's investments/summary/ and the money charts) may group deals.
SUMMARY_GROUPS = ("year", "kind", "country", "confidence")


def _level_figures() -> Figures:
    return {level: {"count": 0, "disclosed": 0, "usd": None, "converted": 0} for level in Confidence.values}


def _add_to_level(
    figures: Figures, level: str, count: int, usd: Decimal | None, converted: int, disclosed: int
) -> None:
    cell = figures[level]
    cell["count"] += count
    cell["disclosed"] += disclosed
    if usd is not None:
        cell["usd"] = usd if cell["usd"] is None else cell["usd"] + usd
    cell["converted"] += converted


def summary_group(key: Any, figures: Figures) -> SummaryGroup:
    """One group of the summary: its figures per level, and the counted total (confirmed and reported)."""
    counted = [figures[level]["usd"] for level in COUNTED if figures[level]["usd"] is not None]
    return {
        "key": key,
        "count": sum(cell["count"] for cell in figures.values()),
        "total_usd": sum(counted) if counted else None,
        "approximate": any(figures[level]["converted"] for level in COUNTED),
        "apart": {
            level: figures[level]["usd"]
            for level in Confidence.values
            if level not in COUNTED and figures[level]["usd"] is not None
        },
        "by_confidence": figures,
    }


def deal_summary(deals: QuerySet[Investment], group_by: str) -> list[SummaryGroup]:
    """The disclosed USD of ``deals`` per year, kind, country or confidence, with each level's figures apart.

    A list of groups (see :func:`summary_group`), in the order of their key (no date, no
    country last). A deal counts in the group of its year (of announcement), its kind, its
    confidence, or each country of its organizations (investors and recipients: a deal
    between two countries counts in both, so country groups may add up to more than the
    deals). One query.
    """
    if group_by not in SUMMARY_GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(SUMMARY_GROUPS)}")
    converted = Q(amount_usd__isnull=False) & ~Q(currency="USD")
    rows: Iterable[tuple[Any, ...]]
    if group_by == "country":
        rows = _deal_countries(deals)
    else:
        grouping = ExtractYear("announced_on") if group_by == "year" else F(group_by)
        rows = (
            deals.order_by()
            .annotate(group=grouping)
            .values_list("group", "confidence")
            .annotate(
                count=Count("pk"),
                usd=Sum("amount_usd"),
                converted=Count("pk", filter=converted),
                disclosed=Count("amount_usd"),
            )
        )
    groups: dict[Any, Figures] = {}
    for key, level, count, usd, converted_count, disclosed in rows:
        figures = groups.setdefault(key or None, _level_figures())
        _add_to_level(figures, level, count, usd, converted_count, disclosed)
    ordered = sorted(groups, key=lambda k: (k is None, k if group_by != "confidence" else Confidence.values.index(k)))
    return [summary_group(key, groups[key]) for key in ordered]


def _deal_countries(deals: QuerySet[Investment]) -> list[CountryRow]:
    """(country, confidence, count, usd, converted, disclosed) per country of the deals' organizations and level.

    One query, grouped in the database: the distinct (deal, country) pairs of the deals'
    investor and recipient organizations (a UNION), LEFT JOINed to the deals, so a deal
    counts once in each of its countries. A deal with no organization with a country
    counts under no country (NULL).
    """
    deal_rows = deals.order_by().values("pk", "confidence", "amount_usd", "currency")
    pairs = [
        model.objects.filter(investment__in=deals.order_by().values("pk"))
        .exclude(organization__country="")
        .order_by()
        .annotate(deal=F("investment_id"), country=F("organization__country"))
        .values_list("deal", "country")
        for model in (InvestorOrganization, RecipientOrganization)
    ]
    deals_sql, deals_params = deal_rows.query.sql_with_params()
    pairs_sql, pairs_params = pairs[0].union(pairs[1]).query.sql_with_params()
    connection = connections[deals.db]
    field = Investment._meta.get_field("amount_usd")
    quote = connection.ops.quote_name  # the deals' columns, as values() names them
    d_pk, d_level, d_usd, d_currency = (quote(c) for c in ("pk", "confidence", "amount_usd", "currency"))
    sql = (
        f"SELECT p.country, d.{d_level}, COUNT(*), SUM(d.{d_usd}),"
        f" SUM(CASE WHEN d.{d_usd} IS NOT NULL AND d.{d_currency} <> 'USD' THEN 1 ELSE 0 END), COUNT(d.{d_usd})"
        f" FROM ({deals_sql}) d LEFT JOIN ({pairs_sql}) p"
        f" ON p.deal = d.{d_pk} GROUP BY p.country, d.{d_level}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*deals_params, *pairs_params))
        rows = cursor.fetchall()
    places = Decimal(1).scaleb(-field.decimal_places)
    return [
        (country, level, count, _decimal(usd, places), int(converted or 0), disclosed)
        for country, level, count, usd, converted, disclosed in rows
    ]


def _decimal(value: Any, places: Decimal) -> Decimal | None:
    """A sum as the database gives it (SQLite: a float or an int) as a Decimal of the amount's places."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(places)


def totals_of(groups: list[SummaryGroup]) -> DealTotals:
    """:func:`deal_totals` of the deals behind ``groups`` (by year, kind or confidence: each deal in one group)."""
    figures = _level_figures()
    for group in groups:
        for level, cell in group["by_confidence"].items():
            _add_to_level(figures, level, cell["count"], cell["usd"], cell["converted"], cell["disclosed"])
    whole = summary_group(None, figures)
    return {
        "counted": whole["total_usd"],
        "approximate": whole["approximate"],
        "apart": [
            (level, label, whole["apart"][level]) for level, label in Confidence.choices if level in whole["apart"]
        ],
    }


def organization_money_by_year(organization: Organization) -> dict[str, list[MoneyRow]]:
    """The money an organization raised (deals received) and invested (deals made), per year and level.

    ``{"raised": rows, "invested": rows}``, each row ``(year, level, usd, shared, converted)``, one per
    deal: the organization's own part when the sources give it, else the whole amount
    when it is the deal's only party on that side; a shared deal without a part of its
    own is ``shared`` (its whole amount), never added to the organization's money, as in
    :func:`organization_deal_stats`. One query.
    """

    def side(model: type[RecipientOrganization] | type[InvestorOrganization], name: str) -> QuerySet[Any]:
        others = model.objects.filter(investment=OuterRef("investment")).exclude(organization=OuterRef("organization"))
        return (
            model.objects.filter(organization=organization, investment__deleted_at__isnull=True)
            .annotate(side=Value(name), shared=Exists(others), year=ExtractYear("investment__announced_on"))
            .values_list(
                "side",
                "year",
                "investment__confidence",
                "amount_usd",
                "investment__amount_usd",
                "shared",
                "investment__currency",
            )
        )

    result: dict[str, list[MoneyRow]] = {"raised": [], "invested": []}
    for name, year, level, own, whole, shared, currency in side(RecipientOrganization, "raised").union(
        side(InvestorOrganization, "invested"), all=True
    ):
        if own is not None:
            result[name].append((year, level, own, False, currency != "USD"))
        elif whole is not None:
            result[name].append((year, level, whole, bool(shared), currency != "USD"))
        else:
            result[name].append((year, level, None, bool(shared), False))
    return result


def money_rows_summary(rows: list[MoneyRow]) -> list[SummaryGroup]:
    """Per-year groups (as :func:`deal_summary`) of ``(year, level, usd, shared, converted)`` rows;
    shared amounts are left out of the money and counted in ``shared_usd``."""
    groups: dict[int | None, Figures] = {}
    shared: dict[int | None, Decimal] = {}
    for year, level, usd, is_shared, converted in rows:
        figures = groups.setdefault(year, _level_figures())
        if is_shared:
            _add_to_level(figures, level, 1, None, 0, 0)
            if usd is not None:
                shared[year] = shared.get(year, 0) + usd
        else:
            _add_to_level(figures, level, 1, usd, int(converted and usd is not None), int(usd is not None))
    ordered = sorted(groups, key=lambda k: (k is None, k))
    summary = []
    for key in ordered:
        group = summary_group(key, groups[key])
        group["shared_usd"] = shared.get(key)
        summary.append(group)
    return summary
