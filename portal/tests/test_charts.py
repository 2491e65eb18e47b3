"""Money over time, timelines and networks: the figures drawn are the records' own, the table behind every
chart is on the page, every SVG is titled, described, escaped and CSP-safe, bad parameters are a 400, and
each chart costs the same queries at 1 and 50 rows."""

import datetime
import re
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from investments.models import Event, EventOrganization, Investment
from investments.tests.factories import InvestmentFactory
from lenrnews.models import Confidence, DatePrecision
from lenrnews.tests.query_counts import CHART_QUERY_BUDGET, QUERY_BUDGET, count_queries, queries_with_1_and_50_rows
from organizations.models import Organization
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)
from portal.timeline import Item, date_span, timeline

pytestmark = pytest.mark.django_db

LEVELS = Confidence.values
KINDS = ["equity", "grant", "license"]


def make_deals(count, start=0):
    """Deals over several years, kinds and every level; some undisclosed, some converted, some undated."""
    made = []
    for n in range(start, start + count):
        currency = "EUR" if n % 7 == 3 else "USD"
        amount = None if n % 4 == 3 else Decimal(1000 * (n + 1))
        made.append(
            InvestmentFactory(
                title=f"Deal {n}",
                slug=f"deal-n{n}",
                kind=KINDS[n % 3],
                confidence=LEVELS[n % 5],
                amount=amount,
                currency=currency,
                amount_usd=None if amount is None else (amount * Decimal("1.1") if currency == "EUR" else amount),
                announced_on=None if n % 11 == 10 else datetime.date(2010 + n % 6, 1 + n % 12, 1),
            )
        )
    return made


def plain_sums(deals):
    """(year, level) -> USD, computed the obvious way."""
    sums = {}
    for deal in deals:
        if deal.amount_usd is None:
            continue
        key = (deal.announced_on.year if deal.announced_on else None, deal.confidence)
        sums[key] = sums.get(key, 0) + deal.amount_usd
    return sums


def svg_of(html, css_class):
    match = re.search(rf'<svg [^>]*class="chart-svg {css_class}".*?</svg>', html, re.S)
    assert match, f"no {css_class} SVG"
    return match.group(0)


def assert_accessible_and_safe(svg):
    root = re.match(r"<svg [^>]*>", svg).group(0)
    # A chart with links is a labelled group (an image's links are unreachable to a screen reader).
    assert ('role="group"' if "<a " in svg else 'role="img"') in root
    chart_id = re.search(r' id="([^"]+)"', root).group(1)
    assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in root
    assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', svg)
    assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', svg)
    # Nothing the Content-Security-Policy (no inline style or script) would refuse.
    assert " style=" not in svg and "<style" not in svg and "<script" not in svg
    assert not re.search(r"\son[a-z]+=", svg)


def test_the_money_chart_draws_the_plain_sum_of_the_filtered_deals_with_its_table(client):
    deals = make_deals(40)
    response = client.get("/investments/", {"kind": ["equity", "grant"]})
    assert response.status_code == 200
    chart = response.context["money_chart"]
    chosen = [d for d in deals if d.kind in ("equity", "grant")]
    expected = plain_sums(chosen)

    drawn = {}
    for row in chart.rows:
        for level, usd in zip(LEVELS, row["levels"], strict=True):
            if usd is not None:
                drawn[(row["key"], level)] = usd
    assert drawn == expected
    counted = sum(usd for (_, level), usd in expected.items() if level in ("confirmed", "reported"))
    assert chart.footer["total_usd"] == counted
    assert chart.footer["approximate"] is True  # some counted deals were in euros
    assert chart.footer["count"] == len(chosen)

    html = response.content.decode()
    svg = svg_of(html, "money-chart")
    assert_accessible_and_safe(svg)
    # The uncertain levels are hatched by patterns the SVG defines; the counted ones are solid.
    for level in ("rumored", "disputed", "denied"):
        assert f'<pattern id="money-chart-hatch-{level}"' in svg
        assert f'class="bar bar--{level}" fill="url(#money-chart-hatch-{level})"' in svg
    assert 'class="bar bar--confirmed" />' in svg
    # Each bar opens the deals behind it, the other filters kept.
    assert "kind=equity&amp;kind=grant&amp;year_min=2011&amp;year_max=2011&amp;confidence=" in svg
    # The table behind the chart: every year and its counted total, and the same headline as the listing.
    table = html[html.index('<div class="chart-table"') :]
    table = table[: table.index("</table>")]
    for year in {d.announced_on.year for d in chosen if d.announced_on}:
        assert f'<th scope="row">{year}</th>' in table
    assert "Date not known" in table
    assert f"≈ USD {counted:,.0f}" in table
    assert response.context["totals"]["counted"] == counted


def test_kind_toggles_add_or_remove_one_kind_and_keep_the_other_filters(client):
    make_deals(3)
    response = client.get("/investments/", {"kind": "equity", "year_min": "2010"})
    toggles = {t["label"]: t for t in response.context["kind_toggles"]}
    assert toggles["Equity"]["on"] and not toggles["Grant"]["on"]
    assert toggles["Equity"]["url"] == "/investments/?year_min=2010"
    assert toggles["Grant"]["url"] == "/investments/?kind=equity&kind=grant&year_min=2010"
    assert toggles["All kinds"]["url"] == "/investments/?year_min=2010"


def test_no_chart_for_a_bad_filter_but_the_400_form(client):
    response = client.get("/investments/", {"year_min": "soon"})
    assert response.status_code == 400
    assert "money_chart" not in response.context


@pytest.mark.parametrize("group_by", ["year", "kind", "confidence", "country"])
def test_the_summary_endpoint_gives_the_plain_sums_per_group(group_by):
    deals = make_deals(30)
    german = OrganizationFactory(country="DE")
    deals[0].investors.add(german)
    deals.append(
        InvestmentFactory(recipients=[OrganizationFactory(country="")], announced_on=datetime.date(2012, 1, 1))
    )
    response = APIClient().get("/api/v1/investments/summary/", {"group_by": group_by, "year_max": "2014"})
    assert response.status_code == 200
    body = response.json()
    chosen = [d for d in deals if d.announced_on and d.announced_on.year <= 2014]

    def keys_of(deal):
        if group_by == "year":
            return [deal.announced_on.year]
        if group_by == "country":
            countries = {o.country.code for o in [*deal.investors.all(), *deal.recipients.all()] if o.country}
            return sorted(countries) or [None]
        return [getattr(deal, group_by)]

    expected = {}
    for deal in chosen:
        for key in keys_of(deal):
            group = expected.setdefault(key, {"count": 0, "total": Decimal(0), "apart": {}})
            group["count"] += 1
            if deal.amount_usd is None:
                continue
            if deal.confidence in ("confirmed", "reported"):
                group["total"] += deal.amount_usd
            else:
                group["apart"][deal.confidence] = group["apart"].get(deal.confidence, 0) + deal.amount_usd
    got = {g["key"]: g for g in body["groups"]}
    assert set(got) == set(expected)
    for key, group in expected.items():
        assert got[key]["count"] == group["count"]
        assert Decimal(got[key]["total_usd"] or 0) == group["total"].quantize(Decimal("0.01"))
        assert {lv: Decimal(v) for lv, v in got[key]["apart"].items()} == group["apart"]
    assert body["counted_levels"] == ["confirmed", "reported"]
    listed = APIClient().get("/api/v1/investments/", {"year_max": "2014"}).json()["totals"]
    assert Decimal(body["totals"]["counted_usd"]) == Decimal(listed["counted_usd"])
    if group_by == "country":
        assert "DE" in got and None in got


@pytest.mark.parametrize(
    "params, name",
    [
        ({"group_by": "month"}, "group_by"),
        ({"group_by": ""}, "group_by"),
        ({"group_by": ["year", "kind"]}, "group_by"),
        ({"year_min": "soon"}, "year_min"),
        ({"kind": "gift"}, "kind"),
        ({"investor": "Nobody at all"}, "investor"),
    ],
)
def test_the_summary_endpoint_answers_400_naming_a_bad_parameter(params, name):
    response = APIClient().get("/api/v1/investments/summary/", params)
    assert response.status_code == 400
    assert name in response.json()


def test_the_schema_documents_the_summary_and_the_network():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    summary = schema["paths"]["/api/v1/investments/summary/"]["get"]
    parameters = {p["name"]: p for p in summary["parameters"]}
    assert set(parameters["group_by"]["schema"]["enum"]) == {"year", "kind", "country", "confidence"}
    assert {"year_min", "kind", "min_confidence", "investor", "country"} <= set(parameters)
    network = schema["paths"]["/api/v1/network/"]["get"]
    assert {"around", "depth", "kind", "year_min", "year_max", "min_confidence", "max_nodes"} <= {
        p["name"] for p in network["parameters"]
    }


def _grow_deals(count):
    made = Investment.objects.count()
    make_deals(count, start=made)


@pytest.mark.parametrize(
    "url",
    ["/investments/", "/api/v1/investments/summary/?group_by=year", "/api/v1/investments/summary/?group_by=country"],
)
def test_the_money_chart_and_the_summary_cost_the_same_queries_at_1_and_50_deals(client, url):
    (one, one_count), (fifty, fifty_count) = queries_with_1_and_50_rows(_grow_deals, client.get, url)
    assert one.status_code == fifty.status_code == 200
    assert one_count == fifty_count


# The seed story as entity pages show it.


def test_an_organization_page_shows_its_money_timeline_and_network(client, story):
    heat = story["heat"]
    response = client.get(heat.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200

    timeline_svg = svg_of(html, "timeline-chart")
    assert_accessible_and_safe(timeline_svg)
    # The E-Cat stake, known since 2013 to the year, still held: a pale span of 2013 and an open arrow.
    assert "Owner of E-Cat" in timeline_svg
    assert "tl-fuzzy" in timeline_svg and "tl-open tl-open--reported" in timeline_svg
    assert 'href="/investments/industrial-heat-baishishan/"' in timeline_svg
    assert "hatch-rumored" in timeline_svg  # the rumored Baishishan deal

    network_svg = svg_of(html, "network-chart")
    assert_accessible_and_safe(network_svg)
    for page in ("/organizations/baishishan-park/", "/people/tom-darden/", "/technologies/e-cat/"):
        assert f'href="{page}"' in network_svg  # one step away
    for page in ("/organizations/china-government/", "/organizations/cherokee/"):
        assert f'href="{page}"' in network_svg  # two steps away
    assert "net-edge net-edge--deal net-edge--rumored" in network_svg
    assert "net-edge net-edge--stake net-edge--reported" in network_svg
    assert "net-edge net-edge--affiliation net-edge--reported" in network_svg
    # The tables behind them.
    assert "Timeline of Industrial Heat: every item" in html
    assert "The links drawn around Industrial Heat" in html


def test_a_person_and_a_technology_page_show_their_timeline_and_network(client, story):
    person = client.get("/people/tom-darden/").content.decode()
    # His roles have no dates: listed in the timeline's table, not drawn.
    assert "timeline-chart" not in person and "Date not known" in person
    story["darden"].affiliations.filter(role="ceo").update(start=datetime.date(2010, 1, 1), start_precision="year")
    person = client.get("/people/tom-darden/").content.decode()
    assert "CEO at Cherokee Investment Partners" in svg_of(person, "timeline-chart")
    assert 'href="/organizations/industrial-heat/"' in svg_of(person, "network-chart")
    technology = client.get("/technologies/e-cat/").content.decode()
    assert "Industrial Heat: owner" in svg_of(technology, "timeline-chart")
    assert 'href="/organizations/baishishan-park/"' in svg_of(technology, "network-chart")
    assert "Money in deals involving this technology" in technology


def test_a_deal_page_shows_its_lifecycle_on_a_timeline(client, story):
    deal = Investment.objects.get(slug="industrial-heat-baishishan")
    Event.objects.create(
        title="The licence ends", slug="licence-ends", kind="deal_status", new_status="terminated",
        occurred_on=datetime.date(2017, 1, 1), date_precision=DatePrecision.YEAR, confidence="reported",
    ).investments.add(deal)  # fmt: skip
    svg = svg_of(client.get(deal.get_absolute_url()).content.decode(), "timeline-chart")
    assert_accessible_and_safe(svg)
    assert 'href="/events/licence-ends/"' in svg
    assert "Terminated" not in svg or "terminated" in svg


def test_a_timeline_draws_a_year_as_a_year_and_an_unknown_end_open():
    year = Item("stake", "Owner of X", "/x/", "reported", datetime.date(2013, 1, 1), DatePrecision.YEAR,
                None, DatePrecision.DAY, False, True, "Stake")  # fmt: skip
    ended = Item("affiliation", "CEO at Y", "/y/", "rumored", datetime.date(2014, 5, 6), DatePrecision.DAY,
                 None, DatePrecision.DAY, True, False, "Role")  # fmt: skip
    moment = Item("event", "Test", "/e/", "confirmed", datetime.date(2015, 3, 1), DatePrecision.MONTH,
                  None, DatePrecision.DAY, False, False, "Event")  # fmt: skip
    drawn = timeline([year, ended, moment], id="t", title="T", today=datetime.date(2017, 6, 1))
    svg = str(drawn.svg)
    assert date_span(datetime.date(2013, 1, 1), DatePrecision.YEAR) == (
        datetime.date(2013, 1, 1),
        datetime.date(2014, 1, 1),
    )
    assert date_span(datetime.date(2015, 3, 1), DatePrecision.MONTH) == (
        datetime.date(2015, 3, 1),
        datetime.date(2015, 4, 1),
    )
    # The axis runs 2013-2018 over 472 units: a year is about 94 wide, a month about 8.
    fuzzy = re.findall(
        r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="12" class="tl-bar tl-bar--(\w+) tl-fuzzy"', svg
    )
    widths = {level: float(width) for _, width, level in fuzzy}
    year_width = (720 - 14 - 238) * 365 / (datetime.date(2018, 1, 1) - datetime.date(2013, 1, 1)).days
    assert abs(widths["reported"] - year_width) < 1  # 2013, not 1 January 2013
    assert abs(widths["confirmed"] - year_width * 31 / 365) < 1  # March 2015
    assert "tl-open tl-open--reported" in svg  # still held: an open arrow
    assert "tl-open tl-open--rumored tl-open--unknown" in svg  # ended on an unknown date: a dashed tail
    assert 'fill="url(#t-hatch-rumored)"' in svg


def test_names_are_escaped_in_every_svg(client):
    odd = OrganizationFactory(name='<script>alert(1)</script> & "Co"', slug="odd")
    other = OrganizationFactory(name="Other <b>", slug="other")
    InvestmentFactory(
        title="A <i>deal</i>", investors=[odd], recipients=[other], announced_on=datetime.date(2020, 1, 1)
    )
    html = client.get("/organizations/odd/").content.decode()
    assert "<script>alert(1)" not in html and "<i>deal</i>" not in html and "Other <b>" not in html
    assert '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "Co"' in svg_of(html, "network-chart")


def test_a_network_is_capped_with_the_strongest_links_kept_and_the_cap_stated(client):
    center = OrganizationFactory(name="Hub", slug="hub")
    sure = []
    for n in range(50):
        partner = OrganizationFactory(name=f"Partner {n:02d}", slug=f"partner-{n:02d}")
        level = "confirmed" if n % 5 == 0 else "rumored"
        InvestmentFactory(investors=[center], recipients=[partner], confidence=level)
        if level == "confirmed":
            sure.append(partner)
    html = client.get("/organizations/hub/").content.decode()
    assert "Showing the 40 closest of at least 51 parties within 2 steps" in html
    svg = svg_of(html, "network-chart")
    assert all(f'href="{p.get_absolute_url()}"' in svg for p in sure)
    assert svg.count('<a href="/organizations/') == 40


def _grow_entity(organization, person, technology, count):
    for _ in range(count):
        partner = OrganizationFactory()
        deal = InvestmentFactory(investors=[organization], recipients=[partner], confidence="rumored")
        deal.technologies.add(technology)
        InvestmentFactory(investors=[partner], recipients=[organization], investor_people=[person])
        TechnologyStakeFactory(organization=organization, technology=technology if count == 1 else TechnologyFactory())
        TechnologyStakeFactory(technology=technology)
        AffiliationFactory(person=person, organization=organization if count == 1 else partner)
        AffiliationFactory(organization=organization)
        event = Event.objects.create(title=f"Suit {Event.objects.count()}", kind="lawsuit_filed")
        EventOrganization.objects.create(event=event, organization=organization, role="plaintiff")
        EventOrganization.objects.create(event=event, organization=partner, role="defendant")
        event.technologies.add(technology)
        OrganizationFactory(parent=organization)


@pytest.mark.parametrize("url", ["/organizations/grown/", "/people/grown-person/", "/technologies/grown-technology/"])
def test_entity_pages_with_charts_cost_the_same_queries_at_1_and_50_rows(client, url):
    organization = OrganizationFactory(slug="grown", parent=OrganizationFactory())
    person = PersonFactory(slug="grown-person")
    technology = TechnologyFactory(slug="grown-technology")
    (one, one_count), (fifty, fifty_count) = queries_with_1_and_50_rows(
        lambda count: _grow_entity(organization, person, technology, count), client.get, url
    )
    assert one.status_code == fifty.status_code == 200
    assert "network-chart" in fifty.content.decode() and "timeline-chart" in fifty.content.decode()
    assert one_count == fifty_count <= QUERY_BUDGET + CHART_QUERY_BUDGET


@pytest.mark.parametrize(
    "url",
    ["/network/", "/network/?around=grown", "/network/?around=grown&kind=deal&min_confidence=reported",
     "/api/v1/network/?around=grown", "/api/v1/network/?year_min=1990"],
)  # fmt: skip
def test_the_network_page_and_api_cost_the_same_queries_at_1_and_50_rows(client, url):
    organization = OrganizationFactory(slug="grown")
    person, technology = PersonFactory(), TechnologyFactory()
    (one, one_count), (fifty, fifty_count) = queries_with_1_and_50_rows(
        lambda count: _grow_entity(organization, person, technology, count), client.get, url
    )
    assert one.status_code == fifty.status_code == 200
    assert one_count == fifty_count


def test_the_network_api_gives_nodes_and_edges_with_kind_confidence_and_dates(story):
    body = APIClient().get("/api/v1/network/", {"around": "Industrial Heat", "depth": 1}).json()
    assert body["around"] == "organization/industrial-heat" and body["depth"] == 1
    nodes = {n["id"]: n for n in body["nodes"]}
    assert nodes["organization/industrial-heat"]["distance"] == 0
    assert nodes["organization/baishishan-park"]["distance"] == 1
    assert "organization/china-government" not in nodes  # two steps away
    edges = {(e["source"], e["target"], e["kind"]): e for e in body["edges"]}
    deal = edges[("organization/industrial-heat", "organization/baishishan-park", "deal")]
    assert deal["confidence"] == "rumored" and deal["first"] == "2015-10-20"
    record = deal["records"][0]
    assert record["url"] == "/investments/industrial-heat-baishishan/"
    assert record["start"] == {"date": "2015-10-20", "precision": "day"}
    stake = edges[("organization/industrial-heat", "technology/e-cat", "stake")]
    assert stake["records"][0]["start"] == {"date": "2013-01-01", "precision": "year"}
    assert stake["records"][0]["end"] == {"date": None, "precision": None}


def test_network_filters_narrow_the_links(story):
    api = APIClient()
    stakes = api.get("/api/v1/network/", {"around": "industrial-heat", "kind": "stake"}).json()
    assert {e["kind"] for e in stakes["edges"]} == {"stake"}
    sure = api.get("/api/v1/network/", {"around": "industrial-heat", "min_confidence": "reported"}).json()
    assert "organization/baishishan-park" not in {n["id"] for n in sure["nodes"]}  # only rumored deals reach it
    dated = api.get("/api/v1/network/", {"around": "industrial-heat", "year_min": 2015, "year_max": 2015}).json()
    assert {e["kind"] for e in dated["edges"]} <= {"deal", "stake", "event"}
    assert all(e["first"] and e["first"][:4] <= "2015" for e in dated["edges"])
    whole = api.get("/api/v1/network/").json()
    assert whole["around"] is None and len(whole["nodes"]) >= 5


@pytest.mark.parametrize(
    "params, name",
    [
        ({"depth": "3"}, "depth"),
        ({"kind": "friendship"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"min_confidence": "sure"}, "min_confidence"),
        ({"year_min": "soon"}, "year_min"),
        ({"year_min": "2020", "year_max": "2010"}, "year_max"),
        ({"around": "Nobody at all"}, "around"),
        ({"max_nodes": "100000"}, "max_nodes"),
        ({"colour": "red"}, "colour"),
        ({"fields": "nodes,weight"}, "fields"),
    ],
)
def test_bad_network_parameters_are_a_400_naming_them(client, story, params, name):
    api = APIClient().get("/api/v1/network/", params)
    assert api.status_code == 400 and name in api.json()
    if params.get("kind") != "" and name not in ("colour", "fields"):  # A page ignores what it doesn't know.
        page = client.get("/network/", params)
        assert page.status_code == 400
        assert "Some filters could not be used" in page.content.decode()


def test_the_network_api_gives_only_the_fields_asked_for(story):
    api = APIClient()
    assert set(api.get("/api/v1/network/", {"around": "IH", "fields": "nodes"}).json()) == {"nodes"}
    rest = api.get("/api/v1/network/", {"around": "IH", "omit": "nodes,edges"}).json()
    assert {"around", "depth", "cap", "total_nodes"} <= set(rest) and not {"nodes", "edges"} & set(rest)


def test_the_network_page_explores_around_a_party_typed_by_name(client, story):
    response = client.get("/network/", {"around": "IH"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Network of Industrial Heat" in html
    assert_accessible_and_safe(svg_of(html, "network-chart"))
    assert "The links drawn around Industrial Heat" in html


def test_a_page_with_charts_is_stored_in_the_page_cache(client, settings, story):
    settings.PAGE_CACHE_SECONDS = 300
    first = client.get("/organizations/industrial-heat/")
    second = client.get("/organizations/industrial-heat/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert "network-chart" in second.content.decode()
    assert "nonce" not in second.content.decode()


def test_a_chart_costs_a_fixed_number_of_queries_of_its_own(client, story):
    """The charts' own share of an entity page, as docs/site.md states it."""
    from portal.templatetags.field_charts import entity_views, money_charts

    heat = Organization.objects.get(slug="industrial-heat")
    assert count_queries(money_charts, heat)[1] == 1
    assert count_queries(entity_views, heat)[1] == 5
