"""The charts of an entity's page: money over time, its timeline, its network.

Organization, person and technology pages belong to a lower app (``organizations``),
which may not import the deals, events or this app; their templates load this tag
library instead (``{% load field_charts %}``), so the page's view stays as it is and the
charts read what they need here, in a fixed number of queries whatever the data size:

- ``money_charts``: one query (an organization's money raised and invested, or a
  technology's deals, per year and level);
- ``entity_timeline`` and ``entity_network``: together three queries (the entity's
  links, the links of its neighbours, the names), read once per page.
"""

from django import template
from django.urls import reverse

from investments.charts import money_chart
from investments.models import Investment
from investments.selectors import deal_summary, money_rows_summary, organization_money_by_year
from organizations.models import Organization, Technology

from ..connections import links_touching, node_of
from ..network import draw, network_around
from ..timeline import deal_items, entity_items, timeline

register = template.Library()

# benchmarks/charts.py measures the pages without their charts by turning this off.
ENABLED = True


def _deals_link(param, slug):
    base = reverse("investments:investment_list")

    def link(year, level):
        return f"{base}?{param}={slug}&year_min={year}&year_max={year}&confidence={level}"

    return link


@register.inclusion_tag("portal/money_charts.html")
def money_charts(entity):
    """An organization's money raised and invested per year, or the money of a technology's deals."""
    charts: list = []
    if not ENABLED:
        return {"charts": charts}
    if isinstance(entity, Organization):
        rows = organization_money_by_year(entity)
        for side, title, param in (
            ("raised", "Money raised per year", "recipient"),
            ("invested", "Money invested per year", "investor"),
        ):
            if rows[side]:
                groups = money_rows_summary(rows[side])
                charts.append(
                    money_chart(groups, id=f"money-{side}", title=title, link=_deals_link(param, entity.slug))
                )
        listing = f"{reverse('investments:investment_list')}?recipient={entity.slug}"
    elif isinstance(entity, Technology):
        groups = deal_summary(Investment.objects.filter(technologies=entity), "year")
        if groups:
            charts.append(
                money_chart(
                    groups,
                    id="money-technology",
                    title="Money in deals involving this technology, per year",
                    link=_deals_link("technology", entity.slug),
                )
            )
        listing = f"{reverse('investments:investment_list')}?technology={entity.slug}"
    else:
        listing = ""
    return {"charts": charts, "entity": entity, "listing": listing, "kinds": Investment.Kind.choices}


def entity_views(entity):
    """The entity's timeline and network, computed once per page (cached on the object)."""
    cached = getattr(entity, "_field_views", None)
    if cached is not None:
        return cached
    center = node_of(entity)
    first_step = links_touching({center[0]: [center[1]]})
    counterparts = {a if b == center else b for a, b, r in first_step.links if center in (a, b)}
    network = network_around(center, first_step=first_step, also_name=counterparts)
    items = entity_items(center, first_step, network.names)
    views = {
        "timeline": timeline(items, id=f"timeline-{center[0]}", title=f"Timeline of {entity.name}"),
        "network": network,
        "network_svg": draw(network, id=f"network-{center[0]}", title=f"Network of {entity.name}")
        if len(network.nodes) > 1
        else None,
    }
    entity._field_views = views
    return views


@register.inclusion_tag("portal/timeline.html")
def entity_timeline(entity):
    if not ENABLED:
        return {}
    views = entity_views(entity)
    return {"timeline": views["timeline"], "entity": entity}


@register.inclusion_tag("portal/network_figure.html")
def entity_network(entity):
    if not ENABLED:
        return {}
    views = entity_views(entity)
    explore = f"{reverse('network')}?around={entity.slug}"
    return {"network": views["network"], "svg": views["network_svg"], "explore": explore, "entity": entity}


@register.inclusion_tag("portal/timeline.html")
def deal_timeline(deal):
    """A deal's timeline from what its page prefetched (no query of its own)."""
    return {"timeline": timeline(deal_items(deal), id="timeline-deal", title=f"Timeline of {deal.title}")}
