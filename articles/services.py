"""Writes with side effects on articles: the publishing rule and the review workflow.

``article_check_publishing`` is the one rule of who may publish, and
``article_send_back_errors`` the one rule of sending an article back to its writer; the
admin (form and actions) and the API both call them. ``article_announce_step`` follows
every save of an article through any door (the steps below, the admin form, the API) and
tells those concerned (``articles.notifications``). Mentions (detection, an editor's
corrections, links in the body) are in ``articles.mentions``.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import AnyUser, Article
from .notifications import article_notify_step

PUBLISH_PERMISSION = "articles.publish_article"
SEND_BACK_NOTE_REQUIRED = "Sending an article back: tell the writer what to change."

# An article as stored or as it would be saved, or a dict of new values (a serializer's
# validated data, a form's cleaned data) where a key left out keeps its stored value.
ArticleState = Article | Mapping[str, Any]


# --- Who may publish ---------------------------------------------------------------


def can_publish(user: AnyUser | None) -> bool:
    """Editors (``articles.publish_article``) publish, schedule and unpublish; writers don't."""
    return bool(user and user.is_authenticated and user.has_perm(PUBLISH_PERMISSION))


def _value(state: ArticleState | None, name: str, default: Any = None) -> Any:
    if state is None:
        return default
    if isinstance(state, Mapping):
        return state.get(name, default)
    return getattr(state, name, default)


def article_publishing_errors(*, user: AnyUser | None, before: Article | None, after: ArticleState) -> dict[str, str]:
    """What ``user`` may not do in changing an article from ``before`` to ``after``.

    ``before`` is the article as stored (None when creating it); ``after`` is the article
    as it would be saved, or a dict of the new values (e.g. a serializer's validated
    data, where a key left out keeps its ``before`` value). Returns {field: message},
    empty when the change is allowed.

    A writer may write drafts, submit them for review and fix the text of a published
    article; publishing, scheduling, unpublishing, the publication time and the note
    that sends an article back are an editor's (``articles.publish_article``).
    """
    if can_publish(user):
        return {}
    old_status = _value(before, "status", Article.Status.DRAFT)
    old_publish_at = _value(before, "publish_at")
    old_note = _value(before, "review_note", "")
    new_status = _value(after, "status", old_status) or Article.Status.DRAFT
    new_publish_at = _value(after, "publish_at", old_publish_at)
    was_published = before is not None and old_status == Article.Status.PUBLISHED
    errors = {}
    if was_published and new_status != Article.Status.PUBLISHED:
        errors["status"] = "Only an editor can unpublish an article."
    elif not was_published and new_status == Article.Status.PUBLISHED:
        errors["status"] = "Only an editor can publish or schedule an article: submit it for review."
    if new_publish_at != old_publish_at:
        errors["publish_at"] = "Only an editor can set the publication time."
    if (_value(after, "review_note", old_note) or "") != (old_note or ""):
        errors["review_note"] = "Only an editor writes the note that sends an article back."
    return errors


def article_check_publishing(*, user: AnyUser | None, before: Article | None, after: ArticleState) -> None:
    """Raise PermissionDenied when ``user`` may not make this change (see above)."""
    errors = article_publishing_errors(user=user, before=before, after=after)
    if errors:
        raise PermissionDenied(" ".join(dict.fromkeys(errors.values())))


# --- The review workflow -----------------------------------------------------------


class WorkflowError(Exception):
    """The article is not in a state that allows this step."""


def article_send_back_errors(*, user: AnyUser | None, before: Article | None, after: ArticleState) -> dict[str, str]:
    """An editor moving an article in review back to draft sends it back: with a note saying why.

    ``before`` and ``after`` as in ``article_publishing_errors``, except that the note
    must come with the change (a dict without ``review_note`` has none). A writer
    taking their own article back out of review needs no note. Returns {field: message}.
    """
    sent_back = (
        before is not None
        and before.status == Article.Status.REVIEW
        and _value(after, "status", before.status) == Article.Status.DRAFT
        and can_publish(user)
    )
    if sent_back and not (_value(after, "review_note", "") or "").strip():
        return {"review_note": SEND_BACK_NOTE_REQUIRED}
    return {}


def article_announce_step(*, article: Article, old_status: str | None, user: AnyUser | None) -> None:
    """After any save of ``article`` (``old_status`` as stored before it, None for a new one):
    the workflow step it made, if any, is told to those concerned once the transaction commits.

    Every door calls it: the steps below, the admin form (``ArticleAdmin.save_model``) and the API.
    """
    article_notify_step(article=article, old_status=old_status, user=user)


@transaction.atomic
def _save_with_rule(*, article: Article, user: AnyUser, fields: list[str]) -> None:
    before = Article.objects.get(pk=article.pk)
    article_check_publishing(user=user, before=before, after=article)
    article.save(update_fields=[*fields, "updated_at"])
    article_announce_step(article=article, old_status=before.status, user=user)


def article_submit_for_review(*, article: Article, user: AnyUser) -> None:
    if article.status != Article.Status.DRAFT:
        raise WorkflowError(f"“{article}” is not a draft.")
    article.status = Article.Status.REVIEW
    _save_with_rule(article=article, user=user, fields=["status"])


def article_send_back(*, article: Article, user: AnyUser, note: str) -> None:
    """An editor returns an article in review to its writer, saying why."""
    if not can_publish(user):
        raise PermissionDenied("Only an editor can send an article back.")
    if article.status != Article.Status.REVIEW:
        raise WorkflowError(f"“{article}” is not waiting for review.")
    before = Article.objects.get(pk=article.pk)
    after = {"status": Article.Status.DRAFT, "review_note": note.strip()}
    errors = article_send_back_errors(user=user, before=before, after=after)
    if errors:
        raise WorkflowError(" ".join(errors.values()))
    article.status, article.review_note = after["status"], after["review_note"]
    _save_with_rule(article=article, user=user, fields=["status", "review_note"])


def article_publish_now(*, article: Article, user: AnyUser) -> None:
    if article.is_public:
        raise WorkflowError(f"“{article}” is already published.")
    article.status = Article.Status.PUBLISHED
    article.publish_at = timezone.now()
    _save_with_rule(article=article, user=user, fields=["status", "publish_at"])


def article_unpublish(*, article: Article, user: AnyUser) -> None:
    if article.status != Article.Status.PUBLISHED:
        raise WorkflowError(f"“{article}” is not published.")
    article.status = Article.Status.DRAFT
    _save_with_rule(article=article, user=user, fields=["status"])
