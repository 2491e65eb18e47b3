"""The body editor in the admin (live preview, counts, autosave marker), "View on site" and word diffs in History."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles.admin import AUTOSAVE_SAVED_COOKIE, MARKDOWN_PREVIEW_MAX_LENGTH
from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from lenrnews.history import word_diff_html
from lenrnews.markdown import render_markdown
from lenrnews.tests.admin_forms import admin_form_data
from lenrnews.tests.test_markdown import MARKDOWN_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:articles_article_markdown_preview")
ADD = reverse("admin:articles_article_add")


def preview(client, payload, **kwargs):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(PREVIEW, body, content_type="application/json", **kwargs)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


# --- The preview endpoint -----------------------------------------------------------


def test_the_preview_renders_the_text_as_the_public_page_does_with_its_counts(writer_client):
    text = "## The deal\n\nIndustrial Heat **signed** with [the park](https://example.org/park).\n\n" + "word " * 500
    response = preview(writer_client, {"text": text})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert data["html"] == render_markdown(text)
    assert "<strong>signed</strong>" in data["html"]
    assert (data["words"], data["minutes"]) == (508, 3)
    assert data["stats"] == "508 words · 3 min read"


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_the_preview_is_as_inert_as_the_public_page_for_hostile_text(editor_client, payload):
    html = preview(editor_client, {"text": payload}).json()["html"]
    assert html == render_markdown(payload)
    assert_inert(html)


def test_the_link_targets_and_markup_are_not_counted_as_words(editor_client):
    data = preview(editor_client, {"text": "**Two** [words](https://example.org/a-very-long-address)"}).json()
    assert (data["words"], data["stats"]) == (2, "2 words · 1 min read")
    assert preview(editor_client, {"text": ""}).json()["stats"] == "0 words"


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        b"\xff\xfe",
        json.dumps(["a list"]),
        json.dumps({"body": "the wrong key"}),
        json.dumps({"text": 42}),
        json.dumps({"text": "x" * (MARKDOWN_PREVIEW_MAX_LENGTH + 1)}),
    ],
)
def test_bad_input_is_a_400_saying_what_to_send(editor_client, body):
    response = preview(editor_client, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()


def test_the_preview_is_for_writers_and_editors_only(client, db):
    text = {"text": "Hello"}
    assert preview(client, text).status_code == 403  # anonymous
    reader = UserFactory(username="reader")
    client.force_login(reader)
    assert preview(client, text).status_code == 403
    staff_without_articles = UserFactory(username="clerk", is_staff=True)
    staff_without_articles.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(staff_without_articles)
    assert preview(client, text).status_code == 403  # may view articles, not change them
    assert preview(client, text).json() == {"detail": "Only writers and editors may preview articles."}


def test_the_preview_answers_only_post(editor_client):
    response = editor_client.get(PREVIEW)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_the_preview_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert preview(client, {"text": "Hello"}).status_code == 403
    page = client.get(ADD)
    token = page.context["csrf_token"]
    assert preview(client, {"text": "Hello"}, headers={"X-CSRFToken": str(token)}).status_code == 200


# --- The widget on the article's page ------------------------------------------------


def test_the_body_comes_with_its_preview_counts_cheat_sheet_and_autosave_key(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, body="Rossi's **E-Cat** works.")
    page = editor_client.get(change_url(article)).content.decode()
    assert f'data-preview-url="{PREVIEW}"' in page
    assert f'data-autosave-key="{article.pk}"' in page
    assert "data-unsaved" not in page
    assert "Rossi&#x27;s <strong>E-Cat</strong> works." in page or "Rossi's <strong>E-Cat</strong> works." in page
    assert "3 words · 1 min read" in page
    assert "Markdown cheat sheet" in page
    assert 'src="/static/js/markdown-editor.js"' in page
    assert "<script>" not in page.split("<body")[1].split("</body>")[0].replace("<script src=", "")


def test_a_new_article_keeps_its_text_under_new(writer_client):
    assert 'data-autosave-key="new"' in writer_client.get(ADD).content.decode()


def test_text_shown_again_after_a_form_error_is_marked_unsaved(writer_client, writer):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, author=writer)
    data = admin_form_data(writer_client.get(change_url(article)), body="New text", status="published")
    response = writer_client.post(change_url(article), data)
    assert response.status_code == 200
    assert 'data-unsaved="true"' in response.content.decode()
    assert AUTOSAVE_SAVED_COOKIE not in response.cookies


def test_a_successful_save_tells_the_browser_to_forget_the_kept_text(writer_client, writer):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, author=writer)
    response = writer_client.post(change_url(article), admin_form_data(writer_client.get(change_url(article))))
    assert response.status_code == 302
    assert response.cookies[AUTOSAVE_SAVED_COOKIE].value == str(article.pk)
    data = admin_form_data(writer_client.get(ADD), title="Fresh", slug="fresh", body="Text.")
    response = writer_client.post(ADD, data)
    assert response.status_code == 302
    assert response.cookies[AUTOSAVE_SAVED_COOKIE].value == "new"


# --- View on site -------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "publish_at": None},
        {"status": Article.Status.REVIEW, "publish_at": None},
    ],
)
def test_view_on_site_of_an_unpublished_article_opens_its_preview(editor_client, state):
    article = ArticleFactory(**state)
    page = editor_client.get(change_url(article)).content.decode()
    preview_url = reverse("admin:articles_article_preview", args=[article.pk])
    assert f'href="{preview_url}" class="viewsitelink"' in page
    assert editor_client.get(preview_url).status_code == 200


def test_view_on_site_of_a_scheduled_article_opens_its_preview(editor_client):
    import datetime

    from django.utils import timezone

    article = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=1))
    page = editor_client.get(change_url(article)).content.decode()
    assert reverse("admin:articles_article_preview", args=[article.pk]) + '" class="viewsitelink"' in page


def test_view_on_site_of_a_live_article_opens_the_public_page(editor_client):
    article = ArticleFactory()
    page = editor_client.get(change_url(article)).content.decode()
    response = editor_client.get(_view_on_site_href(page), follow=True)
    assert response.redirect_chain[-1][0].endswith(article.get_absolute_url())
    assert response.status_code == 200


def _view_on_site_href(page):
    return page.split('class="viewsitelink"')[0].rsplit('href="', 1)[1].split('"')[0]


# --- Word diffs in History ----------------------------------------------------------

LONG = (
    "Industrial Heat, which holds the rights to Rossi's E-Cat, signed an agreement with the "
    "Baishishan park in October 2015, according to a purported statement that reached us through "
    "a mailing list, a blog and a magazine. The government plans to invest $121 million in the park "
    "over five years, the statement says, without naming a source for the figure."
)


def test_a_word_diff_marks_the_words_taken_out_and_put_in():
    new = LONG.replace("October 2015", "November 2015").replace("purported ", "")
    diff = word_diff_html(LONG, new)
    assert "<del>October </del><ins>November </ins>2015" in diff
    assert "<del>purported </del>statement" in diff
    assert "Industrial Heat" not in diff  # far from any change: left out
    assert "… " in diff


def test_a_word_diff_escapes_the_text():
    diff = word_diff_html("a <b>bold</b> claim", 'a <script>alert("x")</script> claim')
    assert "<script>" not in diff and "<b>" not in diff
    assert "<del>&lt;b&gt;bold&lt;/b&gt; </del>" in diff
    assert "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; </ins>" in diff


def test_history_shows_a_long_body_change_word_by_word(editor_client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, body=LONG)
    data = admin_form_data(editor_client.get(change_url(article)), body=LONG.replace("$121 million", "$12 million"))
    assert editor_client.post(change_url(article), data).status_code == 302

    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "<del>$121 </del><ins>$12 </ins>million" in page
    assert "chars]" not in page
    assert "css/admin-history.css" in page


def test_history_of_an_organization_shows_word_diffs_too(editor_client):
    from organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory(name="Industrial Heat", description=LONG)
    organization.description = LONG.replace("five years", "ten years")
    organization.save()
    page = editor_client.get(
        reverse("admin:organizations_organization_history", args=[organization.pk])
    ).content.decode()
    assert "<del>five </del><ins>ten </ins>years" in page


def test_a_short_change_still_reads_old_to_new(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="Old title")
    data = admin_form_data(editor_client.get(change_url(article)), title="New title")
    editor_client.post(change_url(article), data)
    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "Old title&nbsp;&rarr;&nbsp;&nbsp;New title" in page
