"""Timelines: an entity's deals, events, stakes and roles from start to end, as SVG and as a table.

Dates are drawn as far as they are known: a date known to the year spans that year, to
the month spans that month (drawn paler, the fuzzy part), to the day is a thin mark. A
stake or a role with no end runs to today and ends in an open arrow; one that ended on a
date no source gives ends in a dashed open tail. Rumored, disputed and denied items are
hatched, as on cards. Each item links to its page (a deal or an event), or to the other
party's page (a stake or a role).
"""

import datetime
from dataclasses import dataclass

from lenrnews.models import Confidence, DatePrecision, format_partial_date
from lenrnews.svg import Svg, truncate
from organizations.models import Affiliation, TechnologyStake

from .connections import Links, Party, Record

# An entity page shows this many items, the latest by start (the table says how many there are).
TIMELINE_CAP = 40
WIDTH = 720
LABEL_WIDTH = 230
ROW = 22
TOP, BOTTOM = 26, 8
STAKE_KINDS = dict(TechnologyStake.Kind.choices)
ROLES = dict(Affiliation.Role.choices)


@dataclass(frozen=True)
class Item:
    kind: str  # deal, event, stake, affiliation
    label: str
    url: str
    confidence: str
    start: datetime.date | None
    start_precision: str
    end: datetime.date | None
    end_precision: str
    end_unknown: bool
    ongoing: bool
    detail: str

    @property
    def kind_label(self):
        return {"deal": "Deal", "event": "Event", "stake": "Stake", "affiliation": "Role"}[self.kind]

    @property
    def start_display(self):
        return format_partial_date(self.start, self.start_precision)

    @property
    def end_display(self):
        if self.end is not None:
            return format_partial_date(self.end, self.end_precision)
        if self.end_unknown:
            return "ended, date not known"
        return "ongoing" if self.ongoing else ""

    @property
    def uncertain(self):
        return self.confidence in (Confidence.RUMORED, Confidence.DISPUTED, Confidence.DENIED)


def date_span(value, precision):
    """The days a partial date may mean: [first, after last)."""
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 1, 1), datetime.date(value.year + 1, 1, 1)
    if precision == DatePrecision.MONTH:
        first = value.replace(day=1)
        after = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, after
    return value, value + datetime.timedelta(days=1)


def _item(record: Record, label, url, detail):
    return Item(
        kind=record.kind,
        label=label,
        url=url,
        confidence=record.confidence,
        start=record.start,
        start_precision=record.start_precision,
        end=record.end,
        end_precision=record.end_precision,
        end_unknown=record.end_unknown,
        ongoing=record.ongoing,
        detail=detail,
    )


def entity_items(center, links: Links, names: dict[tuple[str, int], Party]) -> list[Item]:
    """The timeline items of ``center`` (``(type, pk)``) among ``links``: every deal and event it is a party of,
    every stake and role it holds or that is held in it."""
    items = []
    for key, parties in links.parties.items():
        record = links.records[key]
        roles = [label for t, i, label in parties if (t, i) == center]
        if not roles:
            continue
        if record.kind == "deal":
            side = {"investor": "made", "recipient": "received", "technology": "about this technology"}
            detail = "Deal " + ", ".join(dict.fromkeys(side.get(role, role) for role in roles))
        else:
            detail = "Event" + (f" ({', '.join(r for r in roles if r)})" if any(roles) else "")
        items.append(_item(record, record.title, record.url, detail))
    for a, b, record in links.links:
        if record.kind not in ("stake", "affiliation") or center not in (a, b):
            continue
        other = names.get(b if a == center else a)
        if other is None:
            continue
        if record.kind == "stake":
            kind = STAKE_KINDS.get(record.label, record.label)
            label = f"{kind} of {other.name}" if a == center else f"{other.name}: {kind.lower()}"
        else:
            role = record.title or ROLES.get(record.label, record.label)
            label = f"{role} at {other.name}" if a == center else f"{other.name}: {role}"
        items.append(_item(record, label, other.url, "Stake" if record.kind == "stake" else "Role"))
    return items


def deal_items(deal) -> list[Item]:
    """A deal's timeline: the deal from its announcement (to its end when it ended), its events, the stakes it made.

    Reads only what the deal page prefetched: ``events`` and ``stakes`` with their organizations and technologies.
    """
    items = [
        Item(
            kind="deal",
            label=deal.title,
            url=deal.get_absolute_url(),
            confidence=deal.confidence,
            start=deal.announced_on,
            start_precision=deal.date_precision,
            end=deal.ended_on,
            end_precision=DatePrecision.DAY,
            end_unknown=False,
            ongoing=False,
            detail=f"Deal, {deal.get_status_display().lower()}",
        )
    ]
    for event in deal.events.all():
        items.append(
            Item(
                kind="event",
                label=event.title,
                url=event.get_absolute_url(),
                confidence=event.confidence,
                start=event.occurred_on,
                start_precision=event.date_precision,
                end=None,
                end_precision=DatePrecision.DAY,
                end_unknown=False,
                ongoing=False,
                detail=event.kind_display,
            )
        )
    for stake in deal.stakes.all():
        items.append(
            Item(
                kind="stake",
                label=f"{stake.organization.name}: {stake.get_kind_display().lower()} of {stake.technology.name}",
                url=stake.technology.get_absolute_url(),
                confidence=stake.confidence,
                start=stake.since,
                start_precision=stake.since_precision,
                end=stake.until,
                end_precision=stake.until_precision,
                end_unknown=stake.until_unknown,
                ongoing=stake.until is None and not stake.until_unknown,
                detail="Stake made by this deal",
            )
        )
    return items


@dataclass
class Timeline:
    svg: object
    items: list[Item]
    undated: list[Item]
    total: int
    cap: int
    id: str
    title: str

    @property
    def capped(self):
        return self.total > len(self.items) + len(self.undated)


def _sort_key(item):
    return (item.start or datetime.date.min, item.kind, item.label)


def timeline(items: list[Item], *, id: str, title: str, cap=TIMELINE_CAP, today=None) -> Timeline:
    today = today or datetime.date.today()
    dated = sorted((i for i in items if i.start is not None), key=_sort_key)
    undated = sorted((i for i in items if i.start is None), key=lambda i: (i.kind, i.label))
    shown = dated[-cap:] if len(dated) > cap else dated
    result = Timeline(
        svg=None,
        items=shown,
        undated=undated[: max(cap - len(shown), 0)],
        total=len(items),
        cap=cap,
        id=id,
        title=title,
    )
    if shown:
        result.svg = _draw(shown, id=id, title=title, today=today, total=len(items), undated=len(undated))
    return result


def _bounds(item, today):
    start0, start1 = date_span(item.start, item.start_precision)
    if item.end is not None:
        end0, end1 = date_span(item.end, item.end_precision)
        end0, end1 = max(end0, start0), max(end1, start1)
    elif item.ongoing or item.end_unknown:
        end0 = end1 = max(today, start1)
    else:
        end0, end1 = start0, start1
    return start0, start1, end0, end1


def _describe(items, *, total, undated, first, last):
    kinds = {}
    for item in items:
        kinds[item.kind_label.lower()] = kinds.get(item.kind_label.lower(), 0) + 1
    counts = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in kinds.items())
    text = f"Timeline from {first} to {last}: {counts}."
    if total > len(items):
        text += f" Showing {len(items)} of {total}"
        text += f" ({undated} without a date)." if undated else "."
    ongoing = sum(1 for i in items if i.ongoing)
    if ongoing:
        text += f" {ongoing} still held, drawn open to today."
    uncertain = sum(1 for i in items if i.uncertain)
    if uncertain:
        text += f" {uncertain} not established (rumored, disputed or denied), hatched."
    return text + " Every item is in the table that follows."


def _draw(items, *, id, title, today, total, undated):
    bounds = [_bounds(item, today) for item in items]
    first_year = min(b[0] for b in bounds).year
    last_year = max(b[3] for b in bounds).year
    if max(b[3] for b in bounds) > datetime.date(last_year, 1, 1):
        last_year += 1
    last_year = max(last_year, first_year + 1)
    origin, finish = datetime.date(first_year, 1, 1), datetime.date(last_year, 1, 1)
    left, right = LABEL_WIDTH + 8, WIDTH - 14
    days = (finish - origin).days

    def x_of(day):
        return left + (day - origin).days / days * (right - left)

    height = TOP + ROW * len(items) + BOTTOM
    svg = Svg(
        id=id,
        width=WIDTH,
        height=height,
        title=title,
        description=_describe(items, total=total, undated=undated, first=first_year, last=last_year - 1),
        css_class="timeline-chart",
    )
    axis = svg.group(class_="chart-axis", aria_hidden="true")
    span = last_year - first_year
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 8)
    today_x = x_of(today) if origin <= today <= finish else None
    for year in range(first_year, last_year + 1):
        if (year - first_year) % step:
            continue
        x = x_of(datetime.date(year, 1, 1))
        svg.add(axis, "line", x1=x, x2=x, y1=TOP - 6, y2=height - BOTTOM, class_="chart-grid")
        clear_of_today = today_x is None or not (today_x - 70 < x < today_x + 4)
        if x < right - 30 and clear_of_today:
            svg.add(axis, "text", year, x=x + 3, y=TOP - 10, class_="chart-label")
    if today_x is not None:
        x = today_x
        svg.add(axis, "line", x1=x, x2=x, y1=TOP - 6, y2=height - BOTTOM, class_="tl-now")
        svg.add(axis, "text", "today", x=x - 3, y=TOP - 10, text_anchor="end", class_="chart-label")

    rows = svg.group(class_="tl-rows")
    for index, (item, (start0, start1, end0, end1)) in enumerate(zip(items, bounds, strict=True)):
        y = TOP + index * ROW
        when = item.start_display + (f" – {item.end_display}" if item.end_display else "")
        label = f"{item.kind_label}: {item.label} ({item.detail}). {when}. {item.confidence.capitalize()}."
        row = svg.link(rows, item.url, label) if item.url else svg.group(rows)
        if index % 2 == 0:
            svg.add(row, "rect", x=0, y=y, width=WIDTH, height=ROW, class_="tl-lane")
        svg.add(row, "text", truncate(item.label, 34), x=4, y=y + 15, class_="tl-row-label")
        level, fill = item.confidence, svg.fill_for(item.confidence)
        bar_y, bar_h = y + 5, ROW - 10
        classes = f"tl-bar tl-bar--{level}"

        def bar(x0, x1, extra="", minimum=2.5, row=row, classes=classes, fill=fill, bar_y=bar_y, bar_h=bar_h):
            svg.add(row, "rect", x=x0, y=bar_y, width=max(x1 - x0, minimum), height=bar_h,
                    class_=f"{classes}{extra}", fill=fill)  # fmt: skip

        fuzzy_start = item.start_precision != DatePrecision.DAY
        if item.end is None and not (item.ongoing or item.end_unknown):
            # A dated moment: the days its date may mean, pale when it is more than one day.
            bar(x_of(start0), x_of(start1), " tl-fuzzy" if fuzzy_start else "")
            continue
        if fuzzy_start:
            bar(x_of(start0), x_of(start1), " tl-fuzzy", minimum=1.5)
        solid_from = x_of(start1 if fuzzy_start else start0)
        middle = bar_y + bar_h / 2
        if item.end_unknown:
            # Ended, but no source says when: a dashed open tail to today.
            bar(solid_from, solid_from + 6)
            tail = x_of(end1)
            svg.add(row, "path", d=f"M{solid_from + 6:.1f},{middle:.1f} H{tail:.1f}",
                    class_=f"tl-open tl-open--{level} tl-open--unknown")  # fmt: skip
            svg.add(row, "text", "?", x=tail + 3, y=bar_y + bar_h, class_="chart-label")
            continue
        fuzzy_end = item.end is not None and item.end_precision != DatePrecision.DAY
        bar(solid_from, x_of(end0 if fuzzy_end else end1))
        if fuzzy_end:
            bar(x_of(end0), x_of(end1), " tl-fuzzy", minimum=1.5)
        if item.ongoing:
            tip = x_of(end1)
            svg.add(row, "path", d=f"M{tip - 5:.1f},{bar_y - 2:.1f} L{tip + 3:.1f},{middle:.1f} L{tip - 5:.1f},"
                    f"{bar_y + bar_h + 2:.1f}", class_=f"tl-open tl-open--{level}")  # fmt: skip
    return svg.render()
