from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _entity_changed(sender, **kwargs):
    from .services import mention_matcher_invalidate

    mention_matcher_invalidate()


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        # Mention detection caches a matcher over every entity name: a changed name or
        # alias, a new or a deleted entity makes it stale.
        for model in ("Organization", "Person", "Technology"):
            sender = self.apps.get_model("organizations", model)
            post_save.connect(_entity_changed, sender=sender, dispatch_uid=f"mentions-{model}-saved")
            post_delete.connect(_entity_changed, sender=sender, dispatch_uid=f"mentions-{model}-deleted")
