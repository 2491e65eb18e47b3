"""Milliseconds per request of the search page and of listings' ``q`` filters.

One process, Django's test client, no server: what the database and the view cost,
without concurrency. Run it against a database filled by ``generate_data``::

    DATABASE_URL=postgres://... API_THROTTLE_ANON=100000/minute .venv/bin/python benchmarks/search_timings.py

Each URL is requested once to warm up, then up to ``--runs`` times (default 20; fewer
when a URL is so slow that ``--budget`` seconds run out, at least 3); it prints the
median and the slowest run, after the database, the time and the load average (the
machine is shared: compare figures taken at the same load). URLs given on the command
line replace the list below. For "before and after", run the script of the same
database from an export of the earlier commit (``git archive <commit> | tar -x -C
/tmp/before``), then from the working tree. Five times the default data::

    .venv/bin/python manage.py generate_data --organizations 10000 --people 15000 --technologies 5000 \\
        --sources 25000 --articles 50000 --investments 25000 --stakes 20000 --affiliations 20000
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

URLS = [
    "/search/?q=nickel",
    "/search/?q=Industrial+Heat",
    "/search/?q=Baishishan",
    "/search/?q=excess%20heat",
    "/articles/?q=hydrogen",
    "/organizations/?q=energy",
    "/api/v1/organizations/?q=energy",
    "/api/v1/investments/",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per URL at most (after 3 runs)")
    parser.add_argument("urls", nargs="*", help="the URLs to time (default: the list above)")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenrnews.settings")
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's ALLOWED_HOSTS
    client = Client()
    where = f"{connection.vendor}, {connection.settings_dict['NAME']}"
    print(f"{where}, {time.strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'URL':40} {'runs':>4} {'median ms':>10} {'max ms':>8} {'status':>6}")
    for url in args.urls or URLS:
        status = client.get(url).status_code
        if status != 200:
            print(f"{url:40} status {status}: skipped")
            continue
        timings = []
        started = time.perf_counter()
        while len(timings) < args.runs and (len(timings) < 3 or time.perf_counter() - started < args.budget):
            reset_queries()  # DEBUG keeps every query otherwise
            start = time.perf_counter()
            status = client.get(url).status_code
            timings.append((time.perf_counter() - start) * 1000)
        print(f"{url:40} {len(timings):4} {statistics.median(timings):10.1f} {max(timings):8.1f} {status:6}")


if __name__ == "__main__":
    main()
