"""Indexes for search on PostgreSQL (other databases skip this migration).

- A GIN index on each searchable model's weighted tsvector, built on the same
  expression ``lenrnews.search.SearchDocument.vector()`` puts in queries, so the
  planner can use it (a test checks with EXPLAIN). If a document's fields or
  weights change, add a migration that drops and rebuilds its index.
- A trigram GIN index (pg_trgm) on ``UPPER(name)``, ``UPPER(aliases)`` and
  ``UPPER(title)``, the expression Django's ``icontains`` compiles to: search also
  matches part of a name, and with these both halves of the OR use an index.
"""

from functools import reduce
from operator import add

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CONFIG = "english"

# model label -> (index name, {weight: fields}), as the models declared them then (search_fields).
DOCUMENTS = {
    "articles.Article": ("article_search_vector", {"A": ("title",), "B": ("standfirst",), "C": ("body",)}),
    "organizations.Organization": (
        "organization_search_vector",
        {"A": ("name", "aliases"), "B": ("summary",), "C": ("description",)},
    ),
    "organizations.Person": ("person_search_vector", {"A": ("name", "aliases"), "C": ("bio",)}),
    "organizations.Technology": (
        "technology_search_vector",
        {"A": ("name", "aliases"), "B": ("summary",), "C": ("description",)},
    ),
    "investments.Investment": ("investment_search_vector", {"A": ("title",), "B": ("summary",)}),
}


# model label -> fields matched by substring (the weight-A fields of search_fields).
NAME_FIELDS = {
    "articles.Article": ("title",),
    "organizations.Organization": ("name", "aliases"),
    "organizations.Person": ("name", "aliases"),
    "organizations.Technology": ("name", "aliases"),
    "investments.Investment": ("title",),
}


def _indexes(apps):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    for label, (name, weights) in DOCUMENTS.items():
        vector = reduce(add, [SearchVector(*f, weight=w, config=CONFIG) for w, f in weights.items()])
        yield apps.get_model(label), GinIndex(vector, name=name)


def _trigram_indexes(apps):
    for label, fields in NAME_FIELDS.items():
        table = apps.get_model(label)._meta.db_table
        for field in fields:
            yield f"{table}_{field}_trgm", table, field


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)
    quote = schema_editor.quote_name
    for name, table, field in _trigram_indexes(apps):
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} USING gin ((UPPER({quote(field)}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)
    for name, _table, _field in _trigram_indexes(apps):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_initial"),
        ("organizations", "0001_initial"),
        ("investments", "0002_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
