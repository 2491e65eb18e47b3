"""The full-text indexes of organizations, people and technologies on SQLite (FTS5;
PostgreSQL skips this migration)."""

from django.db import migrations

from lenrnews.search_migrations import StoreSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_search_vector"),
    ]

    operations = [
        StoreSearchIndex("organization", {"name": "A", "aliases": "A", "summary": "B", "description": "C"}),
        StoreSearchIndex("person", {"name": "A", "aliases": "A", "bio": "C"}),
        StoreSearchIndex("technology", {"name": "A", "aliases": "A", "summary": "B", "description": "C"}),
    ]
