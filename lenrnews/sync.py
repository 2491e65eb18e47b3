"""What an API client needs to mirror the database without reading it all again.

- Every list takes ``updated_since`` and ``ordering=updated_at`` (``lenrnews.filters``);
  a record's ``updated_at`` moves when it is saved and when a link it declares (its
  topics, sources, investors...) is added or removed (``touch_linked``).
- ``/api/v1/deletions/?since=`` lists what went away: deleted for good, moved to the
  trash, or (an article) no longer public. The rows are ``lenrnews.models.Deletion``,
  written by the receivers here (connected in ``LenrnewsConfig.ready``) and by the trash;
  ``lenrnews/api.py`` serves them.

A client applies the deletions since its last sync, then the changes since then.
"""

import contextlib
import contextvars

from django.db.models import signals
from simple_history.models import registered_models

from lenrnews.models import Deletion, TrashableModel, touch

_paused = contextvars.ContextVar("sync_paused", default=False)


@contextlib.contextmanager
def paused():
    """Record nothing meanwhile: a restore (``import_data``) brings the rows as they were, timestamps included."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def keeps_revisions(model):
    """The site's content: the records that keep revisions (their deletions are recorded)."""
    concrete = model._meta.concrete_model
    return registered_models.get(concrete._meta.db_table) is concrete


def record_deletion(sender, instance, **kwargs):
    """``post_delete``: a record deleted for good (one purged from the trash was recorded when it went there)."""
    if _paused.get() or not keeps_revisions(sender):
        return
    if isinstance(instance, TrashableModel) and instance.deleted_at is not None:
        return
    Deletion.record(instance, kind=Deletion.Kind.DELETED)


def remember_if_public(sender, instance, raw=False, **kwargs):
    """``pre_save`` of a model with ``is_public`` (and ``public_fields``): was it public before this save?"""
    fields = getattr(sender, "public_fields", None)
    if raw or _paused.get() or not fields or instance.pk is None:
        return
    stored = sender._base_manager.filter(pk=instance.pk).only(*fields).first()
    instance._was_public = bool(stored and stored.is_public)


def record_withdrawal(sender, instance, raw=False, **kwargs):
    """``post_save``: a record that stops being public is gone for readers; public again, it is back."""
    if raw or _paused.get() or not getattr(sender, "public_fields", None):
        return
    was_public = getattr(instance, "_was_public", False)
    instance._was_public = is_public = instance.is_public
    if was_public and not is_public:
        Deletion.record(instance, kind=Deletion.Kind.WITHDRAWN, public=True)
    elif is_public and not was_public:
        Deletion.forget(instance, kind=Deletion.Kind.WITHDRAWN)


def touch_linked(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``m2m_changed``: the record that declares the link has changed (``updated_since`` lists it)."""
    if _paused.get() or action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:  # add() of links already there
        return
    if not reverse:
        touch(type(instance), [instance.pk])
    elif pk_set:
        touch(model, pk_set)


def connect():
    signals.post_delete.connect(record_deletion, dispatch_uid="sync-deletion")
    signals.pre_save.connect(remember_if_public, dispatch_uid="sync-public-before")
    signals.post_save.connect(record_withdrawal, dispatch_uid="sync-public-after")
    signals.m2m_changed.connect(touch_linked, dispatch_uid="sync-touch-linked")
