"""Telling people about the review workflow: who hears of each step, on the dashboard and by e-mail.

A writer who submits an article tells the editors; an editor who sends it back, publishes
or schedules it tells its authors. ``article_notify_step`` is called after every save of
an article, whichever door it came through (``articles.services``: the workflow steps,
the admin form, the API). It writes one ``Notice`` per recipient in the caller's
transaction and, once that transaction commits, queues the e-mail as a background task
(Django's tasks framework, ``settings.TASKS``): a step that is rolled back tells nobody.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from .models import AnyUser, Article, Notice

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = ("articles", "publish_article")


def article_author_users(article: Article) -> list:
    """The accounts told about what editors do to ``article``: its authors.

    Today that is the article's ``author`` account; the one place to change when
    articles have several authors with accounts of their own.
    """
    author = article.author
    return [author] if author is not None and author.is_active else []


def editor_users():
    """The accounts told that an article waits for review: everyone who may publish."""
    app_label, codename = PUBLISH_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
        .order_by("pk")
    )


def workflow_step(*, article: Article, old_status: str | None) -> str | None:
    """Which step of the review workflow a save from ``old_status`` made (a ``Notice.Kind``), or None.

    ``old_status`` is the status as stored before the save (None for a new article).
    Leaving review for draft with a note is sending back: only an editor writes the
    note, and a writer taking an article back out of review has none.
    """
    old_status = old_status or Article.Status.DRAFT
    new_status = article.status
    if new_status == old_status:
        return None
    if new_status == Article.Status.REVIEW:
        return Notice.Kind.SUBMITTED
    if new_status == Article.Status.DRAFT and old_status == Article.Status.REVIEW and article.review_note.strip():
        return Notice.Kind.SENT_BACK
    if new_status == Article.Status.PUBLISHED:
        return Notice.Kind.SCHEDULED if article.is_scheduled else Notice.Kind.PUBLISHED
    return None


def _name(user: AnyUser | None) -> str:
    if user is None or not user.is_authenticated:
        return "Someone"
    return user.get_full_name() or user.get_username()


def notice_message(*, kind: str, article: Article, actor: AnyUser | None) -> str:
    who, title = _name(actor), f"“{article.title}”"
    match kind:
        case Notice.Kind.SUBMITTED:
            return f"{who} submitted {title} for review."
        case Notice.Kind.SENT_BACK:
            return f"{who} sent {title} back to you: {article.review_note.strip()}"
        case Notice.Kind.SCHEDULED:
            return f"{who} scheduled {title} for {timezone.localtime(article.publish_at):%d %b %Y %H:%M}."
        case _:
            return f"{who} published {title}."


def article_notify_step(*, article: Article, old_status: str | None, user: AnyUser | None) -> list[Notice]:
    """Tell those concerned about the step this save made (see ``workflow_step``); return the notices.

    Submitting tells the editors; sending back, publishing and scheduling tell the
    authors. Nobody is told of their own step. The e-mail goes out after the commit.
    """
    kind = workflow_step(article=article, old_status=old_status)
    if kind is None:
        return []
    recipients = list(editor_users()) if kind == Notice.Kind.SUBMITTED else article_author_users(article)
    actor = user if user is not None and user.is_authenticated else None
    recipients = [person for person in recipients if actor is None or person.pk != actor.pk]
    if not recipients:
        return []
    message = notice_message(kind=kind, article=article, actor=actor)
    notices = Notice.objects.bulk_create(
        Notice(recipient=person, article=article, kind=kind, actor=actor, message=message) for person in recipients
    )
    ids = [notice.pk for notice in notices]
    # robust: the step is saved whatever happens to the queue; a failure to enqueue is logged.
    transaction.on_commit(lambda: send_notice_mail.enqueue(ids), robust=True)
    return notices


def notice_email(notice: Notice) -> EmailMessage:
    """The e-mail of one notice: the step, and where to find the article in the admin."""
    link = settings.SITE_URL.rstrip("/") + reverse("admin:articles_article_change", args=[notice.article_id])
    body = f"{notice.message}\n\nOpen the article: {link}\n\n-- \n{settings.SITE_NAME} newsroom\n"
    subject = f"[{settings.SITE_NAME}] {notice.get_kind_display()}: {notice.article.title}"
    return EmailMessage(subject=subject, body=body, to=[notice.recipient.email])


@task
def send_notice_mail(notice_ids: list[int]) -> int:
    """E-mail the notices not yet e-mailed to recipients with an address; return how many were sent."""
    notices = list(
        Notice.objects.filter(pk__in=notice_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient", "article")
    )
    if not notices:
        return 0
    with mailers.default as connection:
        sent = connection.send_messages([notice_email(notice) for notice in notices]) or 0
    Notice.objects.filter(pk__in=[notice.pk for notice in notices]).update(emailed_at=timezone.now())
    logger.info("Sent %d notice e-mail(s) of %d", sent, len(notices))
    return sent
