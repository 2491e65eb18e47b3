"""The money chart: disclosed US dollars per year, stacked by confidence.

Confirmed and reported deals are drawn solid and make the headline total; rumored,
disputed and denied deals are stacked above them, hatched, and kept out of it (as the
deals page's totals keep them apart). The same figures come back as table rows for the
page (``rows``, ``footer``): the chart is never the only place a number is.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from lenrnews.models import Confidence
from lenrnews.svg import Svg, nice_ticks, short_money
from lenrnews.templatetags.lenrnews_tags import format_amount

from .selectors import COUNTED

WIDTH, HEIGHT = 720, 300
MARGIN = {"left": 60, "right": 12, "top": 24, "bottom": 34}
# Bottom to top: what is counted first, then the levels kept apart.
STACK_ORDER = list(Confidence.values)


@dataclass
class MoneyChart:
    svg: SafeString | None
    rows: list[dict] = field(default_factory=list)
    footer: dict = field(default_factory=dict)
    undated: dict | None = None
    levels: list[dict] = field(default_factory=list)
    id: str = ""
    title: str = ""
    deal_count: int = 0


def _usd(value):
    return format_amount(value, "USD") if value is not None else ""


def money_chart(groups, *, id, title, noun="deals", link=None) -> MoneyChart:
    """The chart of ``groups`` (per-year groups from ``deal_summary`` or ``money_rows_summary``).

    ``link(year, level)`` gives the address a bar segment opens (the deals behind it),
    or None for no links.
    """
    dated = [g for g in groups if g["key"] is not None]
    undated = next((g for g in groups if g["key"] is None), None)
    totals: dict[str, Any] = {level: None for level in STACK_ORDER}
    counts = {level: 0 for level in STACK_ORDER}
    for group in groups:
        for level, cell in group["by_confidence"].items():
            counts[level] += cell["count"]
            if cell["usd"] is not None:
                totals[level] = cell["usd"] if totals[level] is None else totals[level] + cell["usd"]
    counted = [totals[level] for level in COUNTED if totals[level] is not None]
    deal_count = sum(counts.values())
    footer = {
        "count": deal_count,
        "total_usd": sum(counted) if counted else None,
        "approximate": any(g["approximate"] for g in groups),
        "levels": [totals[level] for level in STACK_ORDER],
        "shared_usd": sum(g.get("shared_usd") or 0 for g in groups) or None,
    }
    rows = [
        {
            "key": g["key"],
            "count": g["count"],
            "total_usd": g["total_usd"],
            "approximate": g["approximate"],
            "levels": [g["by_confidence"][level]["usd"] for level in STACK_ORDER],
            "shared_usd": g.get("shared_usd"),
        }
        for g in groups
    ]
    levels = [
        {"value": level, "label": label, "total": totals[level], "count": counts[level], "counted": level in COUNTED}
        for level, label in Confidence.choices
    ]
    chart = MoneyChart(
        svg=None,
        rows=rows,
        footer=footer,
        undated=undated,
        levels=levels,
        id=id,
        title=title,
        deal_count=deal_count,
    )
    drawable = [g for g in dated if any(g["by_confidence"][level]["usd"] for level in STACK_ORDER)]
    if not drawable:
        return chart
    chart.svg = _draw(dated, id=id, title=title, noun=noun, footer=footer, totals=totals, undated=undated, link=link)
    return chart


def _describe(dated, *, noun, footer, totals, undated):
    first, last = dated[0]["key"], dated[-1]["key"]
    span = f"in {first}" if first == last else f"from {first} to {last}"
    counted = footer["total_usd"]
    parts = [
        f"Bars of the disclosed US dollars of {footer['count']} {noun} per year {span}, stacked by confidence.",
        f"Counted (confirmed and reported): {_usd(counted) if counted is not None else 'none disclosed'}"
        + (", partly converted from other currencies." if footer["approximate"] else "."),
    ]
    apart = [f"{level} {_usd(totals[level])}" for level in STACK_ORDER if level not in COUNTED and totals[level]]
    if apart:
        parts.append(f"Hatched and not counted: {', '.join(apart)}.")
    if undated and undated["count"]:
        parts.append(f"{undated['count']} without a date are not drawn.")
    parts.append("The figures are in the table that follows.")
    return " ".join(parts)


def _draw(dated, *, id, title, noun, footer, totals, undated, link):
    years = list(range(dated[0]["key"], dated[-1]["key"] + 1))
    by_year = {g["key"]: g for g in dated}
    stacks = {
        year: sum((by_year[year]["by_confidence"][lv]["usd"] or 0) for lv in STACK_ORDER) if year in by_year else 0
        for year in years
    }
    ticks = nice_ticks(float(max(stacks.values())))
    top = ticks[-1]
    svg = Svg(
        id=id,
        width=WIDTH,
        height=HEIGHT,
        title=title,
        description=_describe(dated, noun=noun, footer=footer, totals=totals, undated=undated),
        css_class="money-chart",
    )
    left, right = MARGIN["left"], WIDTH - MARGIN["right"]
    plot_top, bottom = MARGIN["top"], HEIGHT - MARGIN["bottom"]
    plot_h = bottom - plot_top

    def y_of(value):
        return bottom - float(value) / top * plot_h

    axis = svg.group(class_="chart-axis", aria_hidden="true")
    for tick in ticks:
        y = y_of(tick)
        svg.add(axis, "line", x1=left, x2=right, y1=y, y2=y, class_="chart-grid")
        svg.add(axis, "text", short_money(tick), x=left - 6, y=y + 4, text_anchor="end", class_="chart-label")
    svg.add(axis, "text", "USD", x=4, y=12, class_="chart-label chart-label--unit")
    band = (right - left) / len(years)
    every = max(1, round(34 / band + 0.49))
    for index, year in enumerate(years):
        if (year - years[0]) % every == 0 or len(years) == 1:
            x = left + band * (index + 0.5)
            svg.add(axis, "text", year, x=x, y=bottom + 16, text_anchor="middle", class_="chart-label")
    svg.add(axis, "line", x1=left, x2=right, y1=bottom, y2=bottom, class_="chart-baseline")

    bars = svg.group(class_="chart-bars")
    width = min(max(band * 0.72, 1.5), 48)
    for index, year in enumerate(years):
        group = by_year.get(year)
        if group is None:
            continue
        x = left + band * index + (band - width) / 2
        base = 0.0
        for level in STACK_ORDER:
            cell = group["by_confidence"][level]
            if not cell["usd"]:
                continue
            y0, y1 = y_of(base), y_of(base + float(cell["usd"]))
            base += float(cell["usd"])
            disclosed = cell["disclosed"]
            label = f"{year}, {level}: {_usd(cell['usd'])} ({disclosed} {noun if disclosed != 1 else noun[:-1]})"
            parent = svg.link(bars, link(year, level), label) if link else bars
            shape = svg.add(
                parent,
                "rect",
                x=x,
                y=y1,
                width=width,
                height=max(y0 - y1, 0.5),
                class_=f"bar bar--{level}",
                fill=svg.fill_for(level),
            )
            if not link:
                svg.add(shape, "title", label)
    return svg.render()
