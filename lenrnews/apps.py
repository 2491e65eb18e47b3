from django.apps import AppConfig
from django.db.models import signals


def _migrated(**kwargs):
    from lenrnews.cache import bump_generation

    bump_generation()


class LenrnewsConfig(AppConfig):
    name = "lenrnews"
    verbose_name = "lenrnews"

    def ready(self):
        from lenrnews.cache import content_changed

        # Any change to content makes the page cache's entries stale (lenrnews/cache.py).
        signals.post_save.connect(content_changed, dispatch_uid="pagecache-save")
        signals.post_delete.connect(content_changed, dispatch_uid="pagecache-delete")
        signals.m2m_changed.connect(content_changed, dispatch_uid="pagecache-m2m")
        signals.post_migrate.connect(_migrated, dispatch_uid="pagecache-migrate")
