"""The full-text index of articles on SQLite (FTS5; PostgreSQL skips this migration)."""

from django.db import migrations

from lenrnews.search_migrations import StoreSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_merge_trash_notices_mentions"),
    ]

    operations = [
        StoreSearchIndex("article", {"title": "A", "standfirst": "B", "body": "C"}),
    ]
