from django.apps import AppConfig
from django.core import checks
from django.db.models import signals


def _migrated(**kwargs):
    from lenrnews.cache import bump_generation

    bump_generation()


def _migrated_sqlite(using, **kwargs):
    """After every ``migrate`` on SQLite: the search indexes whole again (a table SQLite
    rebuilt lost its triggers) and the planner's statistics fresh."""
    from django.db import connections

    from lenrnews.planner import refresh_statistics
    from lenrnews.search_migrations import repair_search_indexes

    if connections[using].vendor != "sqlite":
        return
    repair_search_indexes(connections[using])
    refresh_statistics(using)


class LenrnewsConfig(AppConfig):
    name = "lenrnews"
    verbose_name = "lenrnews"

    def ready(self):
        import lenrnews.authentication  # noqa: F401  (connects the auth log's receivers)
        from lenrnews import sync
        from lenrnews.cache import content_changed
        from lenrnews.search import check_search_fields

        # What API clients mirroring the database read: deletions, and links changing their records.
        sync.connect()

        checks.register(check_search_fields)

        # Any change to content makes the page cache's entries stale (lenrnews/cache.py).
        signals.post_save.connect(content_changed, dispatch_uid="pagecache-save")
        signals.post_delete.connect(content_changed, dispatch_uid="pagecache-delete")
        signals.m2m_changed.connect(content_changed, dispatch_uid="pagecache-m2m")
        signals.post_migrate.connect(_migrated, dispatch_uid="pagecache-migrate")
        # Once per migrate (sent for each app; this one is lenrnews's), after every migration.
        signals.post_migrate.connect(_migrated_sqlite, sender=self, dispatch_uid="sqlite-migrate")
