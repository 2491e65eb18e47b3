"""Pick the benchmark's URLs in the current database and count the SQL queries each one runs.

Run by ``benchmarks/run.py`` with the same environment as the server it measures
(``DATABASE_URL``, ``DEBUG=0``...). Prints one JSON object on stdout::

    {"data": {"articles": 10000, ...}, "urls": [{"name": ..., "path": ..., "status": 200,
     "bytes": 51234, "queries": 7, "first_queries": 9}, ...]}

Each URL is requested twice through Django's test client: ``first_queries`` is the
first request of a fresh process (it fills per-process caches), ``queries`` the
second, what a warm server worker runs for every request. Nothing here changes how
the site behaves: queries are captured from outside, as tests do.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def benchmark_paths():
    """The URLs the budget covers, by name, in this database's data."""
    from django.urls import reverse

    from articles.models import Article
    from investments.selectors import organization_deal_stats
    from organizations.models import Organization

    article = Article.objects.published().only("slug").first()
    # The organization with the most deals: the heaviest organization page.
    organization = (
        organization_deal_stats(Organization.objects.all()).order_by("-deal_count", "pk").only("slug", "name").first()
        if Organization.objects.exists()
        else None
    )
    paths = [
        ("home", "/"),
        ("articles", "/articles/"),
        ("article", reverse("articles:article_detail", args=[article.slug]) if article else None),
        ("organizations filtered", "/organizations/?country=US&kind=company"),
        (
            "organization",
            reverse("organizations:organization_detail", args=[organization.slug]) if organization else None,
        ),
        ("investments", "/investments/?year_min=2010&ordering=-amount_usd"),
        # What a reader looking for that organization types.
        ("search", "/search/?" + urlencode({"q": organization.name}) if organization else None),
        ("api organizations", "/api/v1/organizations/?country=US"),
        ("api investments", "/api/v1/investments/"),
    ]
    return [(name, path) for name, path in paths if path]


def data_counts():
    from articles.models import Article, Source
    from investments.models import Investment
    from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake

    models = {
        "articles": Article,
        "organizations": Organization,
        "people": Person,
        "technologies": Technology,
        "stakes": TechnologyStake,
        "investments": Investment,
        "affiliations": Affiliation,
        "sources": Source,
    }
    return {name: model.objects.count() for name, model in models.items()}


def measure(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts.append(len(queries))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {"status": response.status_code, "bytes": len(body), "first_queries": counts[0], "queries": counts[1]}


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenrnews.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    urls = []
    for name, path in benchmark_paths():
        urls.append({"name": name, "path": path, **measure(client, path)})
    extra = sys.argv[1:]  # more paths to measure, e.g. the static file
    for path in extra:
        urls.append({"name": "static file", "path": path, **measure(client, path)})
    json.dump({"data": data_counts(), "urls": urls}, sys.stdout)


if __name__ == "__main__":
    main()
