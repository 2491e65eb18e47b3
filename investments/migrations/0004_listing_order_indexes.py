"""Indexes in the orders the deal listings and the home page sort by.

Newest first and largest first, with undated and undisclosed deals last: with an
index in the same order a page of 20 stops after 20 rows instead of sorting every
matching deal. PostgreSQL needs ``NULLS LAST`` spelled out; SQLite sorts NULL
smallest, so there a plain ``DESC`` already puts them last (and it refuses
``NULLS LAST`` in an index). Not in ``Meta.indexes`` for that reason.
"""

from django.db import migrations

INDEXES = {
    # name: (PostgreSQL columns, SQLite columns)
    "investment_latest_first": ('"announced_on" DESC NULLS LAST, "id" DESC', '"announced_on" DESC, "id" DESC'),
    "investment_largest_first": ('"amount_usd" DESC NULLS LAST, "id"', '"amount_usd" DESC, "id"'),
}


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for name, (postgresql, sqlite) in INDEXES.items():
        columns = postgresql if vendor == "postgresql" else sqlite
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "investments_investment" ({columns})')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("investments", "0003_usd_amount_constraint_handles_null")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
