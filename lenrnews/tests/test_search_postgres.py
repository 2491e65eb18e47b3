"""PostgreSQL only: the stored search vectors, their trigger, and the indexes that serve
the full-text and name queries."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState
from django.db.models import F, Q
from django.db.models.lookups import Exact

from articles.models import Article
from articles.tests.factories import ArticleFactory
from investments.models import Event, Investment
from lenrnews.search import COUNT_LIMIT, SearchDocument, count_matches, document_for, filter_by_text
from lenrnews.search_migrations import StoreSearchVector
from lenrnews.tests.seed import seed_world
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
    Event.objects.bulk_create(
        Event(title=f"Demonstration {n}", slug=f"demo-{n}", kind="demonstration", summary=FILLER) for n in range(ROWS)
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
    (Article, "articles_article_search_vector", ["articles_article_title_trgm"]),
    (Organization, "organizations_organization_search_vector", ["organizations_organization_name_trgm"]),
    (Person, "organizations_person_search_vector", ["organizations_person_name_trgm"]),
    (Technology, "organizations_technology_search_vector", ["organizations_technology_name_trgm"]),
    (Investment, "investments_investment_search_vector", ["investments_investment_title_trgm"]),
    (Event, "investments_event_search_vector", ["investments_event_title_trgm"]),
]
MODELS = [model for model, _index, _names in SEARCHES]


def test_every_model_that_declares_search_fields_is_checked_here():
    # The trash proxies share their table (and its search vector) with the model they show.
    declared = {model for model in apps.get_models() if document_for(model) and not model._meta.proxy}
    assert declared == set(MODELS)


@pytest.mark.parametrize("rank", [True, False])
def test_search_uses_the_indexes(many_rows, rank):
    """Ranked (/search/) or not (a listing's q), the match is an index scan of the
    stored vector's GIN index and of the names' trigram indexes, and no text is parsed."""
    for model, index, name_indexes in SEARCHES:
        plan = filter_by_text(model.objects.all(), "Baishishan", ["slug"], rank=rank)[:10].explain(verbose=True)
        assert index in plan, plan
        for name_index in name_indexes:
            assert name_index in plan, plan
        assert "Seq Scan" not in plan, plan
        assert "to_tsvector" not in plan, plan  # ranked and matched on the stored column


@pytest.mark.parametrize("rank", [True, False])
def test_a_word_too_short_for_a_trigram_is_looked_up_as_a_word(many_rows, rank):
    """ "IH" has no trigram to look up: it is matched as a word (the stored vector's
    index), never by reading every name."""
    for model, index, _names in SEARCHES:
        plan = filter_by_text(model.objects.all(), "IH", ["slug"], rank=rank)[:10].explain()
        assert index in plan, plan
        assert "Seq Scan" not in plan, plan


def test_counting_stops_at_the_limit(many_rows):
    """A word in every row: /search/ counts to COUNT_LIMIT + 1 and says "more than"."""
    for model in MODELS:
        assert count_matches(model.objects.all(), "nickel", ["slug"]) == COUNT_LIMIT + 1


def test_the_old_expression_indexes_are_gone():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%search_vector%"])
        names = {row[0] for row in cursor.fetchall()}
    assert names == {index for _model, index, _names in SEARCHES}


def _stale_vectors(model):
    """Rows whose stored vector differs from the document's vector of their text now."""
    stored_as_expected = Exact(F("search_vector"), document_for(model).vector())  # tsvector =, not @@
    return model.objects.filter(Q(search_vector__isnull=True) | ~Q(stored_as_expected))


def test_the_trigger_stores_the_documents_vector_on_every_kind_of_write():
    world = seed_world()  # saves through the models
    Event.objects.create(title="Demonstration in Bologna", slug="bologna", kind="demonstration", summary="Heat.")
    for model in MODELS:
        assert model.objects.exists()
        assert not model.objects.filter(search_vector__isnull=True).exists(), model
        assert not _stale_vectors(model).exists(), model
    # bulk_create (generate_data), queryset.update() and raw SQL bypass save(): the trigger does not.
    Article.objects.bulk_create([Article(title="Bulk palladium", slug="bulk", body="Deuterium.", status="published")])
    Organization.objects.filter(slug="baishishan-park").update(summary="Renamed: zirconium campus.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE organizations_person SET bio = 'Works on tritium.' WHERE slug = 'andrea-rossi'")
    for model in MODELS:
        assert not _stale_vectors(model).exists(), model
    assert filter_by_text(Article.objects.all(), "deuterium", ["title"]).get().slug == "bulk"
    assert filter_by_text(Organization.objects.all(), "zirconium", ["name"]).get() == world.park
    assert filter_by_text(Person.objects.all(), "tritium", ["name"]).get().slug == "andrea-rossi"


def test_an_edited_article_is_found_by_its_new_words_only():
    article = ArticleFactory(title="Nickel news", body="About nickel.")
    article.title, article.body = "Copper news", "About copper."
    article.save()
    assert list(filter_by_text(Article.objects.published(), "copper", ["title"])) == [article]
    assert list(filter_by_text(Article.objects.published(), "nickel", ["title"])) == []


def _run(operation, direction, app_label):
    """Run the operation as a migration would: in a transaction with no pending deferred checks."""
    state = ProjectState.from_apps(apps)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows the test made are checked now
    with connection.schema_editor() as editor:
        getattr(operation, f"database_{direction}")(app_label, editor, state, state)


def _search_schema(table):
    """The trigger functions and indexes search relies on for ``table``, as PostgreSQL describes them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        indexes = {
            name: definition for name, definition in cursor.fetchall() if "search_vector" in name or "trgm" in name
        }
        cursor.execute(
            "SELECT tgname, pg_get_triggerdef(t.oid), pg_get_functiondef(tgfoid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = %s AND NOT tgisinternal",
            [table],
        )
        triggers = {name: (trigger, function) for name, trigger, function in cursor.fetchall()}
    return indexes, triggers


@pytest.mark.parametrize("model", MODELS)
def test_the_migration_operation_rebuilds_what_the_first_search_migrations_built(model):
    """Undone, StoreSearchVector leaves no trigger or index and stores nothing; done again
    from the model's declaration, the schema is exactly the one the migrations made."""
    table = model._meta.db_table
    before = _search_schema(table)
    operation = StoreSearchVector(model._meta.model_name, model.search_fields)
    world = seed_world()

    _run(operation, "backwards", model._meta.app_label)
    assert _search_schema(table) == ({}, {})
    assert not model.objects.filter(search_vector__isnull=False).exists()

    _run(operation, "forwards", model._meta.app_label)
    assert _search_schema(table) == before
    assert not _stale_vectors(model).exists()
    assert filter_by_text(Organization.objects.all(), "Baishishan", ["name"]).get() == world.park


def test_a_changed_declaration_replaces_the_trigger_and_its_indexes():
    table = Investment._meta.db_table
    operation = StoreSearchVector("investment", {"title": "A", "slug": "A"}, previous=Investment.search_fields)
    before = _search_schema(table)
    deal = seed_world().deal

    _run(operation, "forwards", "investments")
    indexes, _triggers = _search_schema(table)
    assert f"{table}_slug_trgm" in indexes
    by_slug = SearchDocument.from_search_fields(operation.search_fields).vector()
    assert Investment.objects.filter(Exact(F("search_vector"), by_slug)).get() == deal

    _run(operation, "backwards", "investments")
    assert _search_schema(table) == before
    assert not _stale_vectors(Investment).exists()
