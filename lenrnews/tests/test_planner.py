"""SQLite only: migrate and the commands that fill a database leave the planner's
statistics fresh (lenrnews/planner.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from lenrnews.tests.seed import seed_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="sqlite_stat1 is SQLite's"),
]

TABLES = {"articles_article", "organizations_organization", "investments_investment"}


def _rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _statistics():
    """The tables the planner has statistics of."""
    return {table for (table,) in _rows("SELECT DISTINCT tbl FROM sqlite_stat1")}


def _forget_statistics():
    _rows("DELETE FROM sqlite_stat1")
    assert not _statistics()


def test_migrate_leaves_fresh_planner_statistics():
    seed_world()
    _forget_statistics()
    call_command("migrate", verbosity=0)
    assert TABLES <= _statistics()


def test_generate_data_leaves_fresh_planner_statistics():
    _forget_statistics()
    sizes = ["--organizations=5", "--people=5", "--technologies=3", "--sources=5", "--articles=5"]
    call_command("generate_data", *sizes, "--investments=5", "--stakes=3", "--affiliations=3", verbosity=0)
    assert TABLES <= _statistics()


def test_load_demo_leaves_fresh_planner_statistics():
    _forget_statistics()
    call_command("load_demo", stdout=StringIO())
    assert TABLES <= _statistics()


def test_import_data_leaves_fresh_planner_statistics(tmp_path):
    call_command("load_demo", stdout=StringIO())
    backup = tmp_path / "backup.json"
    call_command("export_data", str(backup), stdout=StringIO(), stderr=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    call_command("setup_roles", stdout=StringIO())
    _forget_statistics()
    call_command("import_data", str(backup), stdout=StringIO())
    assert TABLES <= _statistics()
