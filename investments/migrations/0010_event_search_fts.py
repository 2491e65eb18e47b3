"""The full-text index of events on SQLite (FTS5; PostgreSQL keeps its stored search vector)."""

from django.db import migrations

from lenrnews.search_migrations import StoreSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("investments", "0009_merge_search_fts"),
    ]

    operations = [
        StoreSearchIndex("event", {"title": "A", "summary": "B"}),
    ]
