"""The full-text index of deals on SQLite (FTS5; PostgreSQL skips this migration)."""

from django.db import migrations

from lenrnews.search_migrations import StoreSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("investments", "0006_trash"),
    ]

    operations = [
        StoreSearchIndex("investment", {"title": "A", "summary": "B"}),
    ]
