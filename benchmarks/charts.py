"""What the charts cost: milliseconds per request with and without them, on generated data.

One process, Django's test client, no server, the page cache off (every request a miss):
what the database and the view cost. Run it against a database filled by ``generate_data``
at its default sizes (``make bench`` does, after its load test; or by hand)::

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/charts.py [--runs 30]

It prints the median of ``--runs`` requests (after a warm-up) of:

- ``/investments/`` with its money chart and without it (``InvestmentListView.show_chart``),
  requested by turns; budget: the chart adds under 30 ms (the median of the paired differences);
- the page of the most connected organization with its charts and without them
  (``portal.templatetags.field_charts.ENABLED``); for information;
- the two-step network around that organization (links, layout and SVG); budget 100 ms;
- ``/api/v1/investments/summary/?group_by=year`` and ``?group_by=country``; budget 50 ms;
- ``/network/`` (the most connected parties of the whole field), for information,

and the SQL queries of each. Exit status 1 when a budget is not met.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGETS_MS = {"chart": 30.0, "network": 100.0, "summary": 50.0}


def median_ms(function, runs):
    function()  # warm-up: templates compiled, connection open
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def paired_ms(function, switch, runs):
    """Medians with and without (``switch(True)``, ``switch(False)``), and the median of their paired differences.

    The two run by turns, so a machine that slows down or speeds up during the run moves both alike.
    """
    with_it, without_it = [], []
    for on in (True, False):  # warm-up
        switch(on)
        function()
    for _ in range(runs):
        for on, timings in ((True, with_it), (False, without_it)):
            switch(on)
            start = time.perf_counter()
            function()
            timings.append((time.perf_counter() - start) * 1000)
    switch(True)
    difference = statistics.median(a - b for a, b in zip(with_it, without_it, strict=True))
    return statistics.median(with_it), statistics.median(without_it), difference


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenrnews.settings")
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("API_THROTTLE_ANON", "100000000/second")
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from investments.selectors import organization_deal_stats
    from investments.views import InvestmentListView
    from organizations.models import Organization
    from portal.connections import node_of
    from portal.network import draw, network_around
    from portal.templatetags import field_charts

    setup_test_environment()
    client = Client()
    organization = organization_deal_stats(Organization.objects.all()).order_by("-deal_count", "pk").first()
    if organization is None:
        print("No data: run `manage.py generate_data` first.", file=sys.stderr)
        return 2

    def get(url):
        def run():
            reset_queries()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    def queries(function):
        reset_queries()  # the requests reset the log too: the capture must start from an empty one
        with CaptureQueriesContext(connection) as captured:
            function()
        return len(captured)

    results = []

    def record(name, function, ms, budget=None):
        results.append({"name": name, "ms": ms, "queries": queries(function), "budget": budget})

    def measure(name, function, budget=None):
        record(name, function, median_ms(function, args.runs), budget)

    def show_chart(on):
        InvestmentListView.show_chart = on

    def show_charts(on):
        field_charts.ENABLED = on

    investments = get("/investments/")
    with_chart, without_chart, chart_cost = paired_ms(investments, show_chart, args.runs)
    record("/investments/ with the money chart", investments, with_chart)
    show_chart(False)
    record("/investments/ without it", investments, without_chart)
    show_chart(True)

    page = get(organization.get_absolute_url())
    with_charts, without_charts, charts_cost = paired_ms(page, show_charts, args.runs)
    record(f"{organization.get_absolute_url()} with its charts", page, with_charts)
    show_charts(False)
    record(f"{organization.get_absolute_url()} without them", page, without_charts)
    show_charts(True)

    center = node_of(organization)

    def network():
        found = network_around(center, depth=2)
        return draw(found, id="bench", title="bench")

    measure(f"two-step network around {organization.name} (links, layout, SVG)", network, budget="network")
    measure("/api/v1/investments/summary/?group_by=year", get("/api/v1/investments/summary/?group_by=year"), "summary")
    measure(
        "/api/v1/investments/summary/?group_by=country", get("/api/v1/investments/summary/?group_by=country"), "summary"
    )
    measure("/api/v1/network/?around=<that organization>", get(f"/api/v1/network/?around={organization.slug}"))
    measure("/network/ (the whole field)", get("/network/"))

    found = network_around(center, depth=2)
    print(
        f"{connection.vendor}, {connection.settings_dict['NAME']}; median of {args.runs} runs; "
        f"load average {os.getloadavg()[0]:.2f}; the most connected organization: {organization.name} "
        f"({organization.deal_count} deals, {found.total_nodes} parties within two steps)\n"
    )
    print(f"| {'what':70} | {'median ms':>9} | {'queries':>7} |")
    print(f"|{'-' * 72}|{'-' * 10}:|{'-' * 8}:|")
    for row in results:
        print(f"| {row['name'][:70]:70} | {row['ms']:9.1f} | {row['queries']:7} |")
    failures = []
    print(
        f"\nThe money chart adds {chart_cost:.1f} ms to /investments/ (budget {BUDGETS_MS['chart']:.0f} ms; "
        "the median of the differences of requests with and without it, by turns)."
    )
    print(f"The charts add {charts_cost:.1f} ms to the organization's page.")
    if chart_cost >= BUDGETS_MS["chart"]:
        failures.append(f"money chart: +{chart_cost:.1f} ms")
    for row in results:
        if row["budget"] and row["ms"] >= BUDGETS_MS[row["budget"]]:
            failures.append(f"{row['name']}: {row['ms']:.1f} ms >= {BUDGETS_MS[row['budget']]:.0f} ms")
    if failures:
        print("Budget NOT met:\n  " + "\n  ".join(failures))
        return 1
    print("Budgets met: chart < 30 ms more, two-step network < 100 ms, summary < 50 ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
