"""The review workflow in the admin, and a writer's attempts to publish through every door."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_check_publishing, article_publishing_errors
from articles.tests.factories import ArticleFactory
from lenrnews.tests.admin_forms import admin_form_data
from lenrnews.tests.query_counts import queries_with_1_and_50_rows

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, publish_at=None, **kwargs)


def run_action(client, action, *articles):
    return client.post(LIST_URL, {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in articles]}, follow=True)


# --- The rule function --------------------------------------------------------------


def test_rule_lets_a_writer_move_between_draft_and_review(writer):
    before = draft()
    assert article_publishing_errors(user=writer, before=before, after={"status": "review"}) == {}
    assert article_publishing_errors(user=writer, before=None, after={"status": "draft"}) == {}


@pytest.mark.parametrize(
    "after",
    [
        {"status": "published"},
        {"publish_at": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)},
        {"status": "published", "publish_at": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)},
    ],
)
def test_rule_refuses_a_writer_publishing_or_scheduling(writer, after):
    assert article_publishing_errors(user=writer, before=draft(), after=after)
    assert article_publishing_errors(user=writer, before=None, after=after)


def test_rule_refuses_a_writer_unpublishing_or_rescheduling_but_lets_them_fix_the_text(writer):
    live = ArticleFactory()
    assert "status" in article_publishing_errors(user=writer, before=live, after={"status": "draft"})
    assert "status" in article_publishing_errors(user=writer, before=live, after={"status": "review"})
    later = live.publish_at + datetime.timedelta(days=1)
    assert "publish_at" in article_publishing_errors(user=writer, before=live, after={"publish_at": later})
    assert article_publishing_errors(user=writer, before=live, after={"title": "Typo fixed"}) == {}
    with pytest.raises(Exception, match="Only an editor"):
        article_check_publishing(user=writer, before=live, after={"status": "draft"})


def test_rule_lets_an_editor_do_everything(editor):
    live = ArticleFactory()
    assert article_publishing_errors(user=editor, before=live, after={"status": "draft"}) == {}
    article_check_publishing(user=editor, before=draft(), after={"status": "published"})


def test_rule_refuses_anonymous(client):
    from django.contrib.auth.models import AnonymousUser

    assert article_publishing_errors(user=AnonymousUser(), before=None, after={"status": "published"})


# --- A writer through the admin form ------------------------------------------------


def test_writer_creates_a_draft_and_is_its_author(writer_client, writer):
    page = writer_client.get(ADD_URL)
    assert page.status_code == 200
    choices = [value for value, _ in page.context["adminform"].form.fields["status"].choices]
    assert choices == ["draft", "review"]
    data = admin_form_data(page, title="Cold fusion park", slug="cold-fusion-park", body="Text.", status="draft")
    response = writer_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="cold-fusion-park")
    assert article.author == writer and article.status == "draft" and article.publish_at is None


def test_writer_cannot_publish_through_the_form(writer_client, writer):
    article = draft(author=writer)
    page = writer_client.get(change_url(article))
    data = admin_form_data(page, status="published")
    response = writer_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == "draft"
    assert not Article.objects.published().exists()


def test_writer_cannot_schedule_through_the_form(writer_client, writer):
    article = draft(author=writer)
    page = writer_client.get(change_url(article))
    assert "publish_at" not in page.context["adminform"].form.fields  # read-only for writers
    data = admin_form_data(page)
    data.update({"publish_at_0": "2030-01-01", "publish_at_1": "09:00:00", "status": "published"})
    writer_client.post(change_url(article), data)
    article.refresh_from_db()
    assert (article.status, article.publish_at) == ("draft", None)


def test_writer_cannot_publish_a_new_article_through_the_add_form(writer_client):
    page = writer_client.get(ADD_URL)
    data = admin_form_data(page, title="Sneaky", slug="sneaky", body="Text.", status="published")
    response = writer_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert not Article.objects.filter(slug="sneaky").exists()


def test_writer_submits_for_review_in_the_form(writer_client, writer):
    article = draft(author=writer, review_note="Check the date.")
    data = admin_form_data(writer_client.get(change_url(article)), status="review")
    assert writer_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == "review"
    assert article.review_note == ""


def test_writer_fixes_the_text_of_a_published_article_but_cannot_unpublish_it(writer_client):
    live = ArticleFactory(title="Live one")
    page = writer_client.get(change_url(live))
    assert page.status_code == 200
    assert "status" not in page.context["adminform"].form.fields  # read-only for the writer
    assert writer_client.post(change_url(live), admin_form_data(page, title="Live one, fixed")).status_code == 302
    live.refresh_from_db()
    assert (live.title, live.status) == ("Live one, fixed", "published")

    data = admin_form_data(writer_client.get(change_url(live)))
    data.update({"status": "draft", "publish_at_0": "2030-01-01", "publish_at_1": "00:00:00"})
    writer_client.post(change_url(live), data)
    live.refresh_from_db()
    assert live.is_public


# --- A writer through the admin actions ---------------------------------------------


def test_writer_has_only_the_submit_action(writer_client):
    draft()
    page = writer_client.get(LIST_URL)
    actions = [name for name, _ in page.context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions
    assert "publish_now" not in actions and "unpublish" not in actions


@pytest.mark.parametrize("action", ["publish_now", "unpublish"])
def test_writer_cannot_publish_or_unpublish_with_an_action(writer_client, action):
    mine, live = draft(), ArticleFactory()
    run_action(writer_client, action, mine, live)
    mine.refresh_from_db()
    live.refresh_from_db()
    assert mine.status == "draft" and live.status == "published"


def test_writer_submits_for_review_with_the_action(writer_client):
    first, second, live = draft(), draft(), ArticleFactory()
    response = run_action(writer_client, "submit_for_review", first, second, live)
    assert Article.objects.filter(status="review").count() == 2
    assert "is not a draft" in response.content.decode()


# --- The editor's side --------------------------------------------------------------


def test_editor_publishes_now_and_unpublishes_with_actions(editor_client):
    article = ArticleFactory(status=Article.Status.REVIEW, publish_at=None)
    run_action(editor_client, "publish_now", article)
    assert Article.objects.published().filter(pk=article.pk).exists()
    run_action(editor_client, "unpublish", article)
    article.refresh_from_db()
    assert article.status == "draft"
    assert not Article.objects.published().exists()


def test_editor_schedules_in_the_form(editor_client):
    article = ArticleFactory(status=Article.Status.REVIEW, publish_at=None)
    when = timezone.now() + datetime.timedelta(days=2)
    data = admin_form_data(editor_client.get(change_url(article)), status="published", publish_at=when)
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled
    assert not Article.objects.published().exists()
    listing = editor_client.get(LIST_URL + "?state=scheduled")
    assert list(listing.context["cl"].result_list) == [article]


def test_editor_sends_back_with_a_note_the_writer_sees(editor_client, client, writer):
    article = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, author=writer)
    page = editor_client.get(change_url(article))
    without_note = editor_client.post(change_url(article), admin_form_data(page, status="draft"))
    assert "review_note" in without_note.context["adminform"].form.errors
    data = admin_form_data(page, status="draft", review_note="Source the $121 million figure.")
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.status, article.review_note) == ("draft", "Source the $121 million figure.")

    client.force_login(writer)
    writer_page = client.get(change_url(article))
    assert "Source the $121 million figure." in writer_page.content.decode()
    assert "review_note" not in writer_page.context["adminform"].form.fields  # the writer reads it


def test_waiting_for_review_view_lists_submitted_articles(editor_client):
    waiting = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, title="Waiting")
    draft(title="Not yet")
    ArticleFactory(title="Live")
    response = editor_client.get(reverse("admin:articles_article_review"), follow=True)
    assert list(response.context["cl"].result_list) == [waiting]
    listing = editor_client.get(LIST_URL)
    assert "Waiting for review (1)" in listing.content.decode()


@pytest.mark.parametrize(("state", "title"), [("draft", "D"), ("review", "R"), ("scheduled", "S"), ("live", "L")])
def test_changelist_filters_by_state(editor_client, state, title):
    draft(title="D")
    ArticleFactory(status=Article.Status.REVIEW, publish_at=None, title="R")
    ArticleFactory(title="S", publish_at=timezone.now() + datetime.timedelta(hours=1))
    ArticleFactory(title="L")
    response = editor_client.get(f"{LIST_URL}?state={state}")
    assert [a.title for a in response.context["cl"].result_list] == [title]


def test_changelist_query_count_does_not_grow(editor_client):
    (_, one), (_, fifty) = queries_with_1_and_50_rows(ArticleFactory.create_batch, editor_client.get, LIST_URL)
    assert fifty == one


def test_editor_sends_back_with_the_action_and_a_note(editor_client):
    waiting = ArticleFactory(status=Article.Status.REVIEW, publish_at=None)
    ask = run_action(editor_client, "send_back", waiting)
    assert "Note to the writer" in ask.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "review"  # nothing happens before the note is given

    data = {"action": "send_back", ACTION_CHECKBOX_NAME: [waiting.pk], "apply": "Send back", "note": ""}
    assert "tell the writer what to change" in editor_client.post(LIST_URL, data).content.decode()
    data["note"] = "Name the source of the $121 million."
    response = editor_client.post(LIST_URL, data, follow=True)
    assert "1 article(s) sent back to the writer." in response.content.decode()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.review_note) == ("draft", "Name the source of the $121 million.")


def test_writer_cannot_send_back(writer_client):
    waiting = ArticleFactory(status=Article.Status.REVIEW, publish_at=None)
    data = {"action": "send_back", ACTION_CHECKBOX_NAME: [waiting.pk], "apply": "Send back", "note": "No."}
    writer_client.post(LIST_URL, data)
    waiting.refresh_from_db()
    assert waiting.status == "review"
