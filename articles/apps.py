from functools import partial

from django.apps import AppConfig
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

ENTITY_MODELS = {"Organization": "organization", "Person": "person", "Technology": "technology"}


def _names_before(sender, instance, raw=False, **kwargs):
    """Remember the names as stored, to tell after the save which ones changed."""
    from lenrnews.models import split_aliases

    if raw:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("name", "aliases").first() if instance.pk else None
    instance._mention_names_before = set() if stored is None else {stored[0], *split_aliases(stored[1])}


def _entity_saved(sender, instance, created, raw=False, **kwargs):
    from .mentions import mention_matcher_invalidate

    mention_matcher_invalidate()
    if raw:
        return
    before = getattr(instance, "_mention_names_before", set())
    changed = before.symmetric_difference(instance.names)
    if changed:
        _redetect_later(sender, instance.pk, changed)


def _entity_deleting(sender, instance, **kwargs):
    from .mentions import mention_matcher_invalidate

    mention_matcher_invalidate()
    _redetect_later(sender, instance.pk, set(instance.names))


def _entity_deleted(sender, **kwargs):
    from .mentions import mention_matcher_invalidate

    mention_matcher_invalidate()


def _relation_changed(sender, **kwargs):
    """A role, a stake, an inventor or a parent: evidence for shared names (read by the matcher's index)."""
    from .mentions import mention_matcher_invalidate

    mention_matcher_invalidate()


def _redetect_later(sender, pk, names):
    """Once the change is committed, re-detect mentions in the background (``articles.tasks``)."""
    from .tasks import redetect_mentions

    kind = ENTITY_MODELS[sender.__name__]
    names = sorted(name.strip() for name in names if name.strip())
    if names:
        transaction.on_commit(partial(redetect_mentions.enqueue, kind=kind, pk=pk, names=names))


def _next_publication():
    """When the next scheduled article goes public (None if none is scheduled)."""
    from .models import Article

    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
    return scheduled.aggregate(earliest=Min("publish_at"))["earliest"]


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from lenrnews.cache import register_schedule
        from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake

        # Mention detection caches a matcher over every entity name: a changed name or
        # alias, a new or a deleted entity makes it stale, and the articles containing
        # those names are detected again in the background.
        for sender in (Organization, Person, Technology):
            model = sender.__name__
            pre_save.connect(_names_before, sender=sender, dispatch_uid=f"mentions-{model}-saving")
            post_save.connect(_entity_saved, sender=sender, dispatch_uid=f"mentions-{model}-saved")
            pre_delete.connect(_entity_deleting, sender=sender, dispatch_uid=f"mentions-{model}-deleting")
            post_delete.connect(_entity_deleted, sender=sender, dispatch_uid=f"mentions-{model}-deleted")
        for sender in (Affiliation, TechnologyStake):
            model = sender.__name__
            post_save.connect(_relation_changed, sender=sender, dispatch_uid=f"mentions-{model}-saved")
            post_delete.connect(_relation_changed, sender=sender, dispatch_uid=f"mentions-{model}-deleted")
        inventors = Technology.inventors.through
        m2m_changed.connect(_relation_changed, sender=inventors, dispatch_uid="mentions-inventors-changed")
        # A cached page must not outlive the moment a scheduled article goes public.
        register_schedule(_next_publication)
        _track_addresses()


def _track_addresses():
    """Duplicate sources are found by address; old slugs (and a merged source's id) redirect (301)."""
    from lenrnews.duplicates import SameAddress, guard_duplicates
    from lenrnews.names import track_addresses
    from lenrnews.slugs import track_slugs

    from .models import Article, Source, Topic

    track_addresses(Source)
    guard_duplicates(Source, SameAddress())
    # Only to an article the caller may read there: a draft's new title is no one else's to see.
    track_slugs(Article, view_names=["articles:article_detail"], visible=lambda request: Article.objects.published())
    track_slugs(
        Article,
        view_names=["api:article-detail", "api:article-mentions"],
        visible=lambda request: Article.objects.visible_to(request.user),
    )
    track_slugs(
        Topic,
        view_names=["articles:topic_detail", "api:topic-detail", "feeds:topic_rss", "feeds:topic_atom"],
    )
    track_slugs(Source, view_names=["api:source-detail"], field="pk")
