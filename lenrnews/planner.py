"""The query planner's statistics: how many rows each table and index holds.

Without them SQLite guesses (a million rows a table, ten a key) and picks poor plans
on a database of some size: the deals API took 158 ms at five times the generated
data, 20 ms after one ``ANALYZE``. So whatever fills or reshapes the database ends
with :func:`refresh_statistics`: ``migrate`` (lenrnews/apps.py), ``generate_data``,
``load_demo`` and ``import_data``. A long-lived SQLite connection also runs ``PRAGMA
optimize=0x10002`` when it opens (settings: ``init_command``), which re-analyzes a
table whose size changed a lot (SQLite 3.46 and later; earlier versions do nothing
there). PostgreSQL's autovacuum keeps its own statistics; an ``ANALYZE`` after a
bulk load only spares the first queries from waiting for it.
"""

from django.db import connections


def refresh_statistics(using="default"):
    """Gather the planner's statistics of every table of the database ``using``."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")
