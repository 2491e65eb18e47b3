"""SQLite only: the FTS5 tables behind search, their triggers, and the migration
operation that builds them."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.state import ProjectState

from articles.models import Article
from articles.tests.factories import ArticleFactory
from investments.models import Event, Investment
from lenrnews.search import document_for, filter_by_text, fts5_count_sql, fts5_query, fts_names_table, fts_table
from lenrnews.search_migrations import FTS_TRIGGER_SUFFIXES, StoreSearchIndex, repair_search_indexes
from lenrnews.tests.seed import seed_world
from organizations.models import Organization, Person, Technology

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tables exist on SQLite only"),
]

MODELS = [Article, Organization, Person, Technology, Investment, Event]


def _rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _schema_names():
    return {name for (name,) in _rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}


def _triggers(model):
    return {model._meta.db_table + suffix for suffix in FTS_TRIGGER_SUFFIXES}


def _index_agrees_with_the_table(model):
    """FTS5's own check of both external-content indexes against their table (raises if not)."""
    for fts in (fts_table(model), fts_names_table(model)):
        _rows(f'INSERT INTO "{fts}"("{fts}", rank) VALUES (\'integrity-check\', 1)')
    return True


def test_every_model_that_declares_search_fields_has_its_index_and_triggers():
    declared = {model for model in apps.get_models() if document_for(model) and not model._meta.proxy}
    assert declared == set(MODELS)
    names = _schema_names()
    for model in MODELS:
        assert {fts_table(model), fts_names_table(model), *_triggers(model)} <= names
        columns = [name for (name,) in _rows("SELECT name FROM pragma_table_info(%s)", [fts_table(model)])]
        assert columns == list(document_for(model).fields), model
        columns = [name for (name,) in _rows("SELECT name FROM pragma_table_info(%s)", [fts_names_table(model)])]
        assert columns == list(document_for(model).name_fields), model


def test_every_kind_of_write_keeps_the_index_current():
    world = seed_world()  # saves through the models
    Article.objects.bulk_create([Article(title="Bulk palladium", slug="bulk", body="Deuterium.", status="published")])
    Organization.objects.filter(slug="baishishan-park").update(summary="Renamed: zirconium campus.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE organizations_person SET bio = 'Works on tritium.' WHERE slug = 'andrea-rossi'")
    world.deal.trash()
    world.cherokee.delete()
    Technology.objects.filter(slug="e-cat").update(stage=Technology.Stage.PROTOTYPE)  # no searched column
    for model in MODELS:
        assert _index_agrees_with_the_table(model)
    assert filter_by_text(Article.objects.all(), "deuterium", ["title"]).get().slug == "bulk"
    assert filter_by_text(Organization.objects.all(), "zirconium", ["name"]).get() == world.park
    assert filter_by_text(Person.objects.all(), "tritium", ["name"]).get().slug == "andrea-rossi"
    assert not filter_by_text(Person.objects.all(), "inventor", ["name"]).exists()
    # The trash keeps its rows (and their index entries): the manager hides them.
    assert filter_by_text(Investment.all_objects.all(), "Baishishan", ["title"]).get() == world.deal
    assert not filter_by_text(Investment.objects.all(), "Baishishan", ["title"]).exists()


def test_only_a_change_to_a_searched_column_rewrites_the_index_entry():
    article = ArticleFactory(title="Nickel news", body="About nickel.")
    fts = fts_table(Article)
    (before,) = _rows(f'SELECT count(*) FROM "{fts}_data"')
    Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW)
    article.save()  # every column written, none of the searched ones changed
    assert _rows(f'SELECT count(*) FROM "{fts}_data"') == [before]


def test_migrate_puts_back_triggers_a_rebuilt_table_lost():
    """SQLite's migrations rebuild a table (copy, drop, rename) for many changes, and
    the dropped table takes its triggers along; the next migrate repairs the index."""
    world = seed_world()
    for trigger in _triggers(Organization):
        _rows(f'DROP TRIGGER "{trigger}"')
    Organization.objects.filter(pk=world.park.pk).update(summary="Now about hafnium.")
    assert not filter_by_text(Organization.objects.all(), "hafnium", ["name"]).exists()

    call_command("migrate", verbosity=0)

    assert _triggers(Organization) <= _schema_names()
    assert filter_by_text(Organization.objects.all(), "hafnium", ["name"]).get() == world.park
    assert _index_agrees_with_the_table(Organization)
    assert repair_search_indexes(connection) == []  # nothing left to repair


def _run(operation, direction, app_label):
    state = ProjectState.from_apps(apps)
    with connection.schema_editor() as editor:
        getattr(operation, f"database_{direction}")(app_label, editor, state, state)


@pytest.mark.django_db(transaction=True)
def test_the_migration_operation_drops_and_rebuilds_the_index():
    world = seed_world()
    operation = StoreSearchIndex("person", Person.search_fields)

    _run(operation, "backwards", "organizations")
    assert not {fts_table(Person), fts_names_table(Person), *_triggers(Person)} & _schema_names()

    _run(operation, "forwards", "organizations")
    assert filter_by_text(Person.objects.all(), "Rossi", ["name"]).get() == world.rossi
    assert _index_agrees_with_the_table(Person)


def test_rows_a_backup_restores_are_indexed(tmp_path):
    """loaddata saves raw rows, which the triggers index like any other."""
    seed_world()
    backup = tmp_path / "backup.json"
    call_command("export_data", str(backup), stdout=StringIO(), stderr=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    call_command("setup_roles", stdout=StringIO())
    assert not filter_by_text(Organization.objects.all(), "Baishishan", ["name"]).exists()
    call_command("import_data", str(backup), stdout=StringIO())
    assert filter_by_text(Organization.objects.all(), "Baishishan", ["name"]).get().slug == "baishishan-park"
    for model in MODELS:
        assert _index_agrees_with_the_table(model)


def test_a_listing_reads_its_page_in_its_own_order():
    """A common word matches most rows: a listing walks its own order and checks each row
    against the matches, stopping at the page's end, rather than looking every match up
    and sorting them all."""
    plan = filter_by_text(Article.objects.published(), "nickel", ["title"], rank=False)[:20].explain()
    assert "MULTI-INDEX OR" not in plan, plan


def _plan(sql, params):
    return "\n".join(str(row) for row in _rows(f"EXPLAIN QUERY PLAN {sql}", params))


def test_search_walks_the_index_and_looks_the_rows_up_never_the_other_way_round():
    """Scoring and counting walk the FTS5 index's matches and look each row up, never the
    other way round (the index searched again for each row, and bm25's statistics counted
    again each time), whatever the planner's statistics say: here, those of a nearly
    empty database."""
    published = Article.objects.published()
    ranked = filter_by_text(published, "nickel", ["title"])[:10]
    plans = {
        "ranked": _plan(*ranked.query.sql_with_params()),
        "count": _plan(*fts5_count_sql(published, fts5_query("nickel"), 100)),
    }
    assert "MATERIALIZE search_top" in plans["ranked"]
    for name, plan in plans.items():
        assert "VIRTUAL TABLE INDEX 0:=M" not in plan, (name, plan)  # MATCH and rowid = ...: a search per row
