"""Notifications of the review workflow, through every door (admin action, admin form, API).

A writer who submits tells the editors; an editor who sends back, publishes or schedules
tells the authors: a notice on their dashboard and an e-mail, sent by a background task
once the step is committed. A step refused or rolled back tells nobody.
"""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.tasks import task_backends
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Notice
from articles.notifications import article_author_users, editor_users, send_notice_mail
from articles.services import WorkflowError, article_publish_now, article_send_back, article_submit_for_review
from articles.tests.factories import ArticleFactory, UserFactory
from lenrnews.tests.admin_forms import admin_form_data
from lenrnews.tests.api_support import API, client_for

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


@pytest.fixture(autouse=True)
def addresses(writer, editor):
    writer.email = "wendy@example.org"
    writer.save()
    editor.email = "eddie@example.org"
    editor.save()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs, at the end of the block, what waits for the transaction to commit
    (each test runs in a transaction that is never committed)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="The Baishishan deal", **kwargs)


def in_review(**kwargs):
    return ArticleFactory(status=Article.Status.REVIEW, publish_at=None, title="The Baishishan deal", **kwargs)


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


# --- Submitting tells the editors -----------------------------------------------------


def submit_with_action(client, writer, article):
    client.force_login(writer)
    response = client.post(ARTICLES, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [article.pk]})
    assert response.status_code == 302


def submit_with_form(client, writer, article):
    client.force_login(writer)
    data = admin_form_data(client.get(change_url(article)), status="review")
    assert client.post(change_url(article), data).status_code == 302


def submit_with_api(client, writer, article):
    response = client_for(writer).patch(f"{API}articles/{article.slug}/", {"status": "review"}, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("door", [submit_with_action, submit_with_form, submit_with_api])
def test_a_writer_submitting_tells_every_editor_by_mail_and_notice(door, client, writer, editor, committed):
    other_editor = UserFactory(username="other-editor", email="olga@example.org", is_superuser=True)
    article = draft(author=writer)

    with committed():
        door(client, writer, article)

    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    assert sorted(message.to[0] for message in mail.outbox) == ["eddie@example.org", "olga@example.org"]
    message = sent_to("eddie@example.org")[0]
    assert message.subject == "[lenrnews] Submitted for review: The Baishishan deal"
    assert "submitted “The Baishishan deal” for review." in message.body
    assert f"http://127.0.0.1:8000{change_url(article)}" in message.body
    assert sent_to("wendy@example.org") == []
    assert {notice.recipient for notice in Notice.objects.filter(kind=Notice.Kind.SUBMITTED)} == {editor, other_editor}


# --- Sending back, publishing and scheduling tell the authors -----------------------


def send_back_with_action(client, editor, article):
    client.force_login(editor)
    data = {"action": "send_back", ACTION_CHECKBOX_NAME: [article.pk], "apply": "Send back", "note": "Source it."}
    assert client.post(ARTICLES, data).status_code == 302


def send_back_with_form(client, editor, article):
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(article)), status="draft", review_note="Source it.")
    assert client.post(change_url(article), data).status_code == 302


def send_back_with_api(client, editor, article):
    payload = {"status": "draft", "review_note": "Source it."}
    response = client_for(editor).patch(f"{API}articles/{article.slug}/", payload, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("door", [send_back_with_action, send_back_with_form, send_back_with_api])
def test_an_editor_sending_back_tells_the_author_with_the_note(door, client, writer, editor, committed):
    article = in_review(author=writer)

    with committed():
        door(client, editor, article)

    assert [message.to for message in mail.outbox] == [["wendy@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "[lenrnews] Sent back: The Baishishan deal"
    assert "sent “The Baishishan deal” back to you: Source it." in message.body
    notice = Notice.objects.get()
    assert (notice.recipient, notice.kind, notice.actor) == (writer, Notice.Kind.SENT_BACK, editor)


def publish_with_action(client, editor, article):
    client.force_login(editor)
    assert client.post(ARTICLES, {"action": "publish_now", ACTION_CHECKBOX_NAME: [article.pk]}).status_code == 302


def publish_with_form(client, editor, article):
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(article)), status="published")
    assert client.post(change_url(article), data).status_code == 302


def publish_with_api(client, editor, article):
    response = client_for(editor).patch(f"{API}articles/{article.slug}/", {"status": "published"}, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("door", [publish_with_action, publish_with_form, publish_with_api])
def test_an_editor_publishing_tells_the_author(door, client, writer, editor, committed):
    article = in_review(author=writer)

    with committed():
        door(client, editor, article)

    assert Article.objects.get(pk=article.pk).is_public
    assert [message.to for message in mail.outbox] == [["wendy@example.org"]]
    assert mail.outbox[0].subject == "[lenrnews] Published: The Baishishan deal"
    assert Notice.objects.get().kind == Notice.Kind.PUBLISHED


def test_scheduling_in_the_form_tells_the_author_when_it_goes_live(client, writer, editor, committed):
    article = in_review(author=writer)
    client.force_login(editor)
    when = (timezone.now() + datetime.timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)
    data = admin_form_data(client.get(change_url(article)), status="published", publish_at=when)
    with committed():
        assert client.post(change_url(article), data).status_code == 302

    assert mail.outbox[0].subject == "[lenrnews] Scheduled: The Baishishan deal"
    assert f"scheduled “The Baishishan deal” for {when:%d %b %Y} 09:30." in mail.outbox[0].body


def test_saving_without_changing_the_state_tells_nobody(client, writer, editor, committed):
    article = in_review(author=writer)
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(article)), title="The Baishishan deal, retitled")
    with committed():
        assert client.post(change_url(article), data).status_code == 302
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_nobody_is_told_of_their_own_step(writer, editor, committed):
    own = draft(author=editor)
    with committed():
        article_submit_for_review(article=own, user=editor)  # the other editors hear of it; not themselves
        article_publish_now(article=own, user=editor)  # they are its author
    assert mail.outbox == []
    assert not Notice.objects.filter(recipient=editor).exists()


def test_a_writer_taking_an_article_back_out_of_review_tells_nobody(client, writer, editor, committed):
    article = in_review(author=writer)
    client.force_login(writer)
    data = admin_form_data(client.get(change_url(article)), status="draft")
    with committed():
        assert client.post(change_url(article), data).status_code == 302
    assert mail.outbox == []


def test_an_author_without_an_address_gets_the_notice_only(writer, editor, committed):
    writer.email = ""
    writer.save()
    article = in_review(author=writer)
    with committed():
        article_send_back(article=article, user=editor, note="Source it.")
    assert mail.outbox == []
    assert Notice.objects.get().recipient == writer


# --- Refused or rolled back: nothing ------------------------------------------------


def test_a_writer_refused_publishing_tells_nobody_through_any_door(client, writer, committed):
    article = in_review(author=writer)
    client.force_login(writer)
    data = admin_form_data(client.get(change_url(article)), status="published")
    with committed() as callbacks:
        assert client.post(change_url(article), data).status_code == 200  # the form error
        client.post(ARTICLES, {"action": "publish_now", ACTION_CHECKBOX_NAME: [article.pk]})
        response = client_for(writer).patch(f"{API}articles/{article.slug}/", {"status": "published"}, format="json")
        assert response.status_code == 403
    assert callbacks == []

    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_a_send_back_without_a_note_tells_nobody(editor, writer, committed):
    article = in_review(author=writer)
    with committed() as callbacks:
        response = client_for(editor).patch(f"{API}articles/{article.slug}/", {"status": "draft"}, format="json")
        assert response.status_code == 400
        with pytest.raises(WorkflowError):
            article_send_back(article=article, user=editor, note=" ")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_a_step_rolled_back_sends_nothing(writer, editor, committed):
    article = draft(author=writer)
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        article_submit_for_review(article=article, user=writer)
        raise RuntimeError("something after it failed")

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not Notice.objects.exists()
    assert mail.outbox == []
    assert callbacks == []  # nothing was left waiting for a commit


def test_the_mail_waits_for_the_commit(writer, editor, django_capture_on_commit_callbacks):
    article = draft(author=writer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article_submit_for_review(article=article, user=writer)
    assert mail.outbox == []  # not committed yet
    assert Notice.objects.filter(recipient=editor).exists()  # written in the step's transaction
    for callback in callbacks:  # the commit
        callback()
    assert [message.to for message in mail.outbox] == [["eddie@example.org"]]


# --- The background task ------------------------------------------------------------


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_the_mail_is_a_background_task_sent_once(writer, editor, committed):
    article = draft(author=writer)
    with committed():
        article_submit_for_review(article=article, user=writer)

    assert mail.outbox == []  # queued, not sent in the request
    (queued,) = task_backends["default"].results
    assert queued.task.name == send_notice_mail.name
    notice = Notice.objects.get(recipient=editor)
    assert queued.args == [[notice.pk]]

    assert queued.task.call(*queued.args) == 1
    assert [message.to for message in mail.outbox] == [["eddie@example.org"]]
    assert Notice.objects.get(pk=notice.pk).emailed_at is not None
    assert queued.task.call(*queued.args) == 0  # run again (a retry): not sent twice
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)  # the worker commits as it claims a task
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_with_the_database_backend_the_worker_sends_the_mail(writer, editor):
    """Production's setting: the task is stored in the database, and `manage.py db_worker` sends it."""
    article = in_review(author=writer)
    article_send_back(article=article, user=editor, note="Source it.")  # commits: no test transaction here
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [message.to for message in mail.outbox] == [["wendy@example.org"]]
    assert Notice.objects.get().emailed_at is not None


# --- Who is told --------------------------------------------------------------------


def test_editors_are_those_who_may_publish(writer, editor):
    superuser = UserFactory(username="root", is_superuser=True)
    UserFactory(username="gone", is_superuser=True, is_active=False)
    assert list(editor_users()) == sorted([editor, superuser], key=lambda user: user.pk)
    assert writer not in editor_users()


def test_the_authors_are_the_article_authors_account(writer):
    assert article_author_users(draft(author=writer)) == [writer]
    assert article_author_users(draft(author=None)) == []
