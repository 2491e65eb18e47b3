"""Stored search vectors on PostgreSQL (other databases skip this migration).

Each searchable model has a ``search_vector`` column. On PostgreSQL a ``BEFORE INSERT
OR UPDATE`` trigger fills it with the weighted document vector of the model's
``search_fields`` (the very expression ``SearchDocument.vector()`` builds; a test
checks that they agree), so every write keeps it current: the admin,
``bulk_create`` in ``generate_data`` and raw SQL alike. Existing rows are filled here.

A plain GIN index on the column replaces the GIN expression index of 0001: queries
match and rank on the stored vector instead of parsing every matching text again.
The trigram indexes of 0001 stay (part-of-a-name matches). If a document's fields or
weights change, add a migration with ``lenrnews.search_migrations.StoreSearchVector``
(which builds what this migration builds, under the same names).
"""

from django.db import migrations

CONFIG = "english"

# model label -> {weight: fields}, as the models declared them then (search_fields).
DOCUMENTS = {
    "articles.Article": {"A": ("title",), "B": ("standfirst",), "C": ("body",)},
    "organizations.Organization": {"A": ("name", "aliases"), "B": ("summary",), "C": ("description",)},
    "organizations.Person": {"A": ("name", "aliases"), "C": ("bio",)},
    "organizations.Technology": {"A": ("name", "aliases"), "B": ("summary",), "C": ("description",)},
    "investments.Investment": {"A": ("title",), "B": ("summary",)},
}

# model label -> the GIN expression index of 0001 this migration replaces.
EXPRESSION_INDEXES = {
    "articles.Article": "article_search_vector",
    "organizations.Organization": "organization_search_vector",
    "organizations.Person": "person_search_vector",
    "organizations.Technology": "technology_search_vector",
    "investments.Investment": "investment_search_vector",
}


def vector_sql(weights, quote, row=""):
    """The document vector as Django's SearchVector compiles it, over ``row``'s columns."""
    parts = []
    for weight, fields in weights.items():
        text = " || ' ' || ".join(f"COALESCE(({row}{quote(f)})::text, '')" for f in fields)
        parts.append(f"setweight(to_tsvector('{CONFIG}'::regconfig, {text}), '{weight}')")
    return " || ".join(parts)


def _tables(apps, schema_editor):
    quote = schema_editor.quote_name
    for label, weights in DOCUMENTS.items():
        table = apps.get_model(label)._meta.db_table
        fields = [f for names in weights.values() for f in names]
        yield label, table, weights, fields, quote


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for label, table, weights, fields, quote in _tables(apps, schema_editor):
        function, trigger, index = f"{table}_search_vector_update", f"{table}_search_vector", f"{table}_search_vector"
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {quote(function)}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_vector := {vector_sql(weights, quote, row='NEW.')}; RETURN NEW; END $$"
        )
        columns = ", ".join(quote(f) for f in fields)
        schema_editor.execute(
            f"CREATE TRIGGER {quote(trigger)} BEFORE INSERT OR UPDATE OF {columns} ON {quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {quote(function)}()"
        )
        schema_editor.execute(f"UPDATE {quote(table)} SET search_vector = {vector_sql(weights, quote)}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(EXPRESSION_INDEXES[label])}")
        schema_editor.execute(f"CREATE INDEX {quote(index)} ON {quote(table)} USING gin (search_vector)")
        schema_editor.execute(f"ANALYZE {quote(table)}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for label, table, weights, _fields, quote in _tables(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(f'{table}_search_vector')}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(f'{table}_search_vector')} ON {quote(table)}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {quote(f'{table}_search_vector_update')}()")
        schema_editor.execute(
            f"CREATE INDEX {quote(EXPRESSION_INDEXES[label])} ON {quote(table)} USING gin (({vector_sql(weights, quote)}))"
        )
        schema_editor.execute(f"UPDATE {quote(table)} SET search_vector = NULL")


class Migration(migrations.Migration):
    dependencies = [
        ("lenrnews", "0001_search_indexes"),
        ("articles", "0004_search_vector"),
        ("organizations", "0002_search_vector"),
        ("investments", "0005_search_vector"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
