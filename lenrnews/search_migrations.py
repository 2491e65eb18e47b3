"""The database side of search: migration operations that keep a model's search index
current on every write, :class:`StoreSearchVector` on PostgreSQL and
:class:`StoreSearchIndex` on SQLite (each does nothing on the other database).

Making a model searchable (see lenrnews/search.py) takes, besides its
``search_fields``, a migration that adds the column and builds both indexes::

    from django.contrib.postgres.search import SearchVectorField
    from lenrnews.search_migrations import StoreSearchIndex, StoreSearchVector

    operations = [
        migrations.AddField("event", "search_vector", SearchVectorField(null=True, editable=False)),
        StoreSearchVector("event", {"title": "A", "summary": "B"}),
        StoreSearchIndex("event", {"title": "A", "summary": "B"}),
    ]

The fields are written into the migration as the model declares them then. When the
declaration changes, a new migration of the model's app replaces both:
``StoreSearchVector("article", new_fields, previous=old_fields)`` and the same with
``StoreSearchIndex``; for the models made searchable by lenrnews/migrations, it
depends on ``("lenrnews", "0002_stored_search_vectors")`` (the vector) and on the
app's ``_search_fts`` migration (the index).

What StoreSearchVector builds on PostgreSQL, named after the table (the names the
first search migrations in lenrnews/migrations gave the models searchable since then):

- ``<table>_search_vector_update()`` and trigger ``<table>_search_vector``: BEFORE
  INSERT OR UPDATE of the searched columns, set ``search_vector`` to the weighted
  document vector (the expression ``SearchDocument.vector()`` builds; a test checks
  that they agree). Every write keeps it current: the admin, ``bulk_create`` and raw
  SQL alike. Existing rows are filled at once.
- ``<table>_search_vector``: a GIN index on the column (matching and ranking).
- ``<table>_<field>_trgm``: a trigram GIN index on ``UPPER(field)`` for each name
  field (weight A), the expression ``icontains`` compiles to, so part-of-a-name
  matches use an index too.

What StoreSearchIndex builds on SQLite:

- ``<table>_fts``: an FTS5 table over the searched columns, heaviest first, words
  stemmed (Porter), and ``<table>_fts_names`` over the names (weight A) only, words
  as written: there, matching words by their start ("Brillou") reads the names'
  index, not every article's. Both have ``content=<table>``: they read the text from
  the model's table and store only the index. Existing rows are indexed at once.
- Triggers ``<table>_fts_insert``, ``<table>_fts_update`` (when a searched column
  changes) and ``<table>_fts_delete``, AFTER the write, which keep both indexes
  current on every write, ``bulk_create`` and raw SQL included.

SQLite's migrations rebuild a table for many schema changes (a new table, the rows
copied, the old one dropped), and dropping a table drops its triggers: after every
``migrate`` :func:`repair_search_indexes` puts back the triggers of any index that
lost them and rebuilds that index.
"""

from django.apps import apps as django_apps
from django.db import transaction
from django.db.migrations.operations.base import Operation

from lenrnews.search import FTS_NAMES_TOKENIZER, FTS_TOKENIZER, SEARCH_CONFIG, SearchDocument, document_for


def vector_sql(document, quote, row=""):
    """The document vector as Django's SearchVector compiles it, over ``row``'s columns."""
    parts = []
    for weight, fields in document.weights.items():
        text = " || ' ' || ".join(f"COALESCE(({row}{quote(f)})::text, '')" for f in fields)
        parts.append(f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, {text}), '{weight}')")
    return " || ".join(parts)


class StoreSearchVector(Operation):
    """Keep ``<model>.search_vector`` filled with the weighted vector of ``search_fields``
    ({field: weight}) on PostgreSQL, with the indexes search uses; see the module docstring."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name, search_fields, previous=None):
        self.model_name = model_name
        self.search_fields = dict(search_fields)
        self.previous = dict(previous) if previous else None

    def state_forwards(self, app_label, state):
        pass  # The column is a field of the model; only the database changes.

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._change(app_label, schema_editor, to_state, self.search_fields, self.previous)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._change(app_label, schema_editor, to_state, self.previous, self.search_fields)

    def describe(self):
        return f"Store the search vector of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_search_vector"

    def _change(self, app_label, schema_editor, state, search_fields, replaced):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = state.apps.get_model(app_label, self.model_name)._meta.db_table
        if search_fields:
            self._store(schema_editor, table, SearchDocument.from_search_fields(search_fields), replaced)
        else:
            self._drop(schema_editor, table, SearchDocument.from_search_fields(replaced))

    def _store(self, schema_editor, table, document, replaced):
        quote, run = schema_editor.quote_name, schema_editor.execute
        function, trigger = f"{table}_search_vector_update", f"{table}_search_vector"
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            if not cursor.fetchone():
                run("CREATE EXTENSION pg_trgm")
        run(
            f"CREATE OR REPLACE FUNCTION {quote(function)}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_vector := {vector_sql(document, quote, row='NEW.')}; RETURN NEW; END $$"
        )
        columns = ", ".join(quote(f) for f in document.fields)
        run(f"DROP TRIGGER IF EXISTS {quote(trigger)} ON {quote(table)}")
        run(
            f"CREATE TRIGGER {quote(trigger)} BEFORE INSERT OR UPDATE OF {columns} ON {quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {quote(function)}()"
        )
        run(f"UPDATE {quote(table)} SET search_vector = {vector_sql(document, quote)}")
        run(f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_search_vector')} ON {quote(table)} USING gin (search_vector)")
        if replaced:
            for field in set(SearchDocument.from_search_fields(replaced).name_fields) - set(document.name_fields):
                run(f"DROP INDEX IF EXISTS {quote(f'{table}_{field}_trgm')}")
        for field in document.name_fields:
            run(
                f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_{field}_trgm')} ON {quote(table)} "
                f"USING gin ((UPPER({quote(field)}::text)) gin_trgm_ops)"
            )
        run(f"ANALYZE {quote(table)}")

    def _drop(self, schema_editor, table, document):
        quote, run = schema_editor.quote_name, schema_editor.execute
        for field in document.name_fields:
            run(f"DROP INDEX IF EXISTS {quote(f'{table}_{field}_trgm')}")
        run(f"DROP INDEX IF EXISTS {quote(f'{table}_search_vector')}")
        run(f"DROP TRIGGER IF EXISTS {quote(f'{table}_search_vector')} ON {quote(table)}")
        run(f"DROP FUNCTION IF EXISTS {quote(f'{table}_search_vector_update')}()")
        run(f"UPDATE {quote(table)} SET search_vector = NULL")


def _fts_triggers(table, pk, tables, quote):
    """The statements creating the triggers that keep the FTS5 tables ``tables``
    ({name: columns}) current with ``table``."""
    removes, adds, changed = [], [], []
    for fts, columns in tables.items():
        names = ", ".join(quote(c) for c in columns)
        old = ", ".join(f"old.{quote(c)}" for c in columns)
        new = ", ".join(f"new.{quote(c)}" for c in columns)
        removes.append(
            f"INSERT INTO {quote(fts)}({quote(fts)}, rowid, {names}) VALUES ('delete', old.{quote(pk)}, {old});"
        )
        adds.append(f"INSERT INTO {quote(fts)}(rowid, {names}) VALUES (new.{quote(pk)}, {new});")
        changed += [c for c in columns if c not in changed]
    remove, add = " ".join(removes), " ".join(adds)
    trigger = f"{table}_fts"
    return [
        f"CREATE TRIGGER {quote(f'{trigger}_insert')} AFTER INSERT ON {quote(table)} BEGIN {add} END",
        f"CREATE TRIGGER {quote(f'{trigger}_update')} AFTER UPDATE OF {', '.join(quote(c) for c in changed)} "
        f"ON {quote(table)} WHEN {' OR '.join(f'old.{quote(c)} IS NOT new.{quote(c)}' for c in changed)} "
        f"BEGIN {remove} {add} END",
        f"CREATE TRIGGER {quote(f'{trigger}_delete')} AFTER DELETE ON {quote(table)} BEGIN {remove} END",
    ]


FTS_TRIGGER_SUFFIXES = ("_fts_insert", "_fts_update", "_fts_delete")


class StoreSearchIndex(Operation):
    """Keep the FTS5 indexes of ``<model>``'s ``search_fields`` ({field: weight}) current
    on SQLite; see the module docstring. The weights are read at query time (bm25's
    column weights); the indexes need the fields, heaviest first."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name, search_fields, previous=None):
        self.model_name = model_name
        self.search_fields = dict(search_fields)
        self.previous = dict(previous) if previous else None

    def state_forwards(self, app_label, state):
        pass  # Nothing of the model changes; only the database.

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._change(app_label, schema_editor, to_state, self.search_fields)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._change(app_label, schema_editor, to_state, self.previous)

    def describe(self):
        return f"Store the full-text index of {self.model_name} (SQLite)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_search_index"

    def _change(self, app_label, schema_editor, state, search_fields):
        if schema_editor.connection.vendor != "sqlite":
            return
        meta = state.apps.get_model(app_label, self.model_name)._meta
        drop_search_index(schema_editor.execute, schema_editor.quote_name, meta.db_table)
        if search_fields:
            document = SearchDocument.from_search_fields(search_fields)
            columns = {
                f"{meta.db_table}_fts": [meta.get_field(name).column for name in document.fields],
                f"{meta.db_table}_fts_names": [meta.get_field(name).column for name in document.name_fields],
            }
            create_search_index(schema_editor.execute, schema_editor.quote_name, meta.db_table, meta.pk.column, columns)


def create_search_index(run, quote, table, pk, tables):
    """The FTS5 tables of ``table`` ({name: columns}: ``<table>_fts`` and
    ``<table>_fts_names``), their triggers, and every row indexed."""
    for fts, columns in tables.items():
        tokenizer = FTS_NAMES_TOKENIZER if fts.endswith("_fts_names") else FTS_TOKENIZER
        run(
            f"CREATE VIRTUAL TABLE {quote(fts)} USING fts5({', '.join(quote(c) for c in columns)}, "
            f"content={quote(table)}, content_rowid={quote(pk)}, tokenize='{tokenizer}')"
        )
    _index_again(run, quote, table, pk, tables)


def _index_again(run, quote, table, pk, tables):
    for suffix in FTS_TRIGGER_SUFFIXES:
        run(f"DROP TRIGGER IF EXISTS {quote(table + suffix)}")
    for statement in _fts_triggers(table, pk, tables, quote):
        run(statement)
    for fts in tables:
        run(f"INSERT INTO {quote(fts)}({quote(fts)}) VALUES ('rebuild')")


def drop_search_index(run, quote, table):
    for suffix in FTS_TRIGGER_SUFFIXES:
        run(f"DROP TRIGGER IF EXISTS {quote(table + suffix)}")
    for fts in (f"{table}_fts", f"{table}_fts_names"):
        run(f"DROP TABLE IF EXISTS {quote(fts)}")


def repair_search_indexes(connection):
    """Put back the triggers of any search index that lost them (SQLite rebuilt its
    table in a migration) and index its rows again; the tables repaired."""
    if connection.vendor != "sqlite":
        return []
    quote = connection.ops.quote_name
    repaired = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name for (name,) in cursor.fetchall()}
        for model in django_apps.get_models():
            table = model._meta.db_table
            tables = [f"{table}_fts", f"{table}_fts_names"]
            if model._meta.proxy or document_for(model) is None or not set(tables) <= present:
                continue
            if all(table + suffix in present for suffix in FTS_TRIGGER_SUFFIXES):
                continue
            columns = {}
            for fts in tables:
                cursor.execute("SELECT name FROM pragma_table_info(%s)", [fts])
                columns[fts] = [name for (name,) in cursor.fetchall()]
            _index_again(cursor.execute, quote, table, model._meta.pk.column, columns)
            repaired.append(table)
    return repaired
