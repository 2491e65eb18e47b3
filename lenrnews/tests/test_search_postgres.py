"""PostgreSQL only: the full-text and name queries are served by the search indexes."""

import pytest
from django.db import connection

from articles.models import Article
from investments.models import Investment
from lenrnews.search import filter_by_text
from organizations.models import Organization, Person, Technology

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search indexes exist on PostgreSQL only"),
]

FILLER = "nickel hydrogen reactor excess heat calorimetry measurement lattice anomaly cell loading " * 4
ROWS = 2000


@pytest.fixture
def many_rows():
    Article.objects.bulk_create(
        Article(
            title=f"Calorimetry report {n}", slug=f"report-{n}", standfirst="A report.", body=FILLER, status="published"
        )
        for n in range(ROWS)
    )
    Organization.objects.bulk_create(
        Organization(name=f"Laboratory {n}", slug=f"laboratory-{n}", summary="A laboratory.", description=FILLER)
        for n in range(ROWS)
    )
    Person.objects.bulk_create(Person(name=f"Researcher {n}", slug=f"researcher-{n}", bio=FILLER) for n in range(ROWS))
    Technology.objects.bulk_create(
        Technology(name=f"Reactor {n}", slug=f"reactor-{n}", description=FILLER) for n in range(ROWS)
    )
    Investment.objects.bulk_create(
        Investment(title=f"Grant {n}", slug=f"grant-{n}", kind="grant", summary=FILLER) for n in range(ROWS)
    )
    with connection.cursor() as cursor:
        # Rows inserted in this (test) transaction wait in the GIN indexes' pending
        # lists, which make index scans look costly; autovacuum flushes them in real life.
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid::regclass) FROM pg_index i JOIN pg_am a "
            "ON a.oid = (SELECT relam FROM pg_class WHERE oid = i.indexrelid) WHERE a.amname = 'gin'"
        )
        cursor.execute("ANALYZE")


SEARCHES = [
    (Article, "article_search_vector", ["articles_article_title_trgm"]),
    (Organization, "organization_search_vector", ["organizations_organization_name_trgm"]),
    (Person, "person_search_vector", ["organizations_person_name_trgm"]),
    (Technology, "technology_search_vector", ["organizations_technology_name_trgm"]),
    (Investment, "investment_search_vector", ["investments_investment_title_trgm"]),
]


def test_search_uses_the_indexes(many_rows):
    """The query's vector expression is the index's, so EXPLAIN shows index scans."""
    for model, index, name_indexes in SEARCHES:
        plan = filter_by_text(model.objects.all(), "Baishishan", ["slug"])[:10].explain()
        assert index in plan, plan
        for name_index in name_indexes:
            assert name_index in plan, plan
        assert "Seq Scan" not in plan, plan
