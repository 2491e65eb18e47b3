"""What readers see of the workflow: scheduling, preview, corrections, mention links, hedges."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.mentions import article_detect_mentions
from articles.models import Article
from articles.tests.factories import ArticleFactory, CorrectionFactory, UserFactory
from lenrnews.tests.query_counts import queries_with_1_and_50_rows
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


# --- Scheduling --------------------------------------------------------------------


def test_scheduled_article_appears_on_time_without_a_job(client):
    with time_machine.travel(NOON, tick=False):
        article = ArticleFactory(title="Park deal", slug="park-deal", publish_at=NOON + datetime.timedelta(hours=1))
        assert not Article.objects.published().exists()
        assert client.get(article.get_absolute_url()).status_code == 404
        assert "Park deal" not in client.get(reverse("articles:article_list")).content.decode()

    with time_machine.travel(NOON + datetime.timedelta(minutes=59, seconds=59), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 404

    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        assert list(Article.objects.published()) == [article]
        assert client.get(article.get_absolute_url()).status_code == 200
        assert "Park deal" in client.get(reverse("articles:article_list")).content.decode()
        assert "Park deal" in client.get(reverse("home")).content.decode()


def test_unpublished_states_never_show_publicly(client):
    for status in (Article.Status.DRAFT, Article.Status.REVIEW):
        article = ArticleFactory(status=status, publish_at=None, title=f"Secret {status}")
        assert client.get(article.get_absolute_url()).status_code == 404
        assert f"Secret {status}" not in client.get(reverse("articles:article_list")).content.decode()


# --- Preview -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["writer_client", "editor_client"])
@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "publish_at": None},
        {"status": Article.Status.REVIEW, "publish_at": None},
        {"status": Article.Status.PUBLISHED, "publish_at": timezone.now() + datetime.timedelta(days=3)},
    ],
)
def test_writers_and_editors_preview_unpublished_articles(request, role, state):
    client = request.getfixturevalue(role)
    article = ArticleFactory(title="Not out yet", body="The *body*.", **state)
    response = client.get(preview_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not out yet" in html and "<em>body</em>" in html
    assert "Preview" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex">' in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_preview_is_404_for_anyone_else(client):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    assert client.get(preview_url(article)).status_code == 404
    client.force_login(UserFactory(username="reader"))
    assert client.get(preview_url(article)).status_code == 404
    client.force_login(UserFactory(username="staff-without-rights", is_staff=True))
    assert client.get(preview_url(article)).status_code == 404


def test_preview_of_an_unknown_article_is_404(editor_client):
    assert editor_client.get(reverse("admin:articles_article_preview", args=[999999])).status_code == 404


def test_public_page_is_not_noindexed(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert "X-Robots-Tag" not in response
    assert "noindex" not in response.content.decode()


def test_admin_offers_the_preview_link(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert preview_url(article) in change
    assert preview_url(article) in editor_client.get(reverse("admin:articles_article_changelist")).content.decode()


# --- Corrections -------------------------------------------------------------------


def test_correction_shows_at_the_end_of_the_article(client):
    article = ArticleFactory(body="The park got $12 million.")
    correction = CorrectionFactory(article=article, text="It was **$121 million**.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="correction-{correction.pk}"' in html
    assert "<strong>$121 million</strong>" in html
    assert html.index("The park got") < html.index("Corrections")


def test_corrections_page_lists_published_articles_corrections_newest_first(client):
    old = CorrectionFactory(published_on=datetime.date(2026, 1, 1), text="Old fix.")
    new = CorrectionFactory(published_on=datetime.date(2026, 2, 1), text="New fix.")
    hidden = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="Hidden draft")
    CorrectionFactory(article=hidden, text="Fix to a draft.")
    scheduled = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=1), title="Later")
    CorrectionFactory(article=scheduled, text="Fix to a scheduled one.")
    response = client.get(reverse("articles:correction_list"))
    assert response.status_code == 200
    assert list(response.context["corrections"]) == [new, old]
    html = response.content.decode()
    assert html.index("New fix.") < html.index("Old fix.")
    assert "Hidden draft" not in html and "Fix to a draft" not in html and "Later" not in html
    assert new.get_absolute_url() in html


def test_corrections_page_is_paginated_with_a_fixed_number_of_queries(client):
    (_, one), (response, fifty) = queries_with_1_and_50_rows(
        CorrectionFactory.create_batch, client.get, reverse("articles:correction_list")
    )
    assert one == fifty
    assert len(response.context["corrections"]) == 20
    assert client.get(reverse("articles:correction_list") + "?page=3").status_code == 200
    assert client.get(reverse("articles:correction_list") + "?page=9").status_code == 404


def test_editor_adds_a_correction_inline_to_a_published_article(editor_client):
    from lenrnews.tests.admin_forms import admin_form_data

    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-published_on": "2026-03-12",
            "corrections-0-text": "The park is in Beijing.",
            "corrections-0-article": article.pk,
        }
    )
    assert editor_client.post(url, data).status_code == 302
    assert [c.text for c in article.corrections.all()] == ["The park is in Beijing."]


def test_corrections_only_for_published_articles(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    response = editor_client.post(
        reverse("admin:articles_correction_add"), {"article": draft.pk, "published_on": "2026-03-12", "text": "x"}
    )
    assert response.status_code == 200 and "article" in response.context["adminform"].form.errors
    assert not draft.corrections.exists()
    change = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert "corrections-TOTAL_FORMS" not in change.content.decode()


# --- Mention links on the public page ----------------------------------------------


def test_first_mention_in_the_body_links_to_the_entity(client):
    ih = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH")
    article = ArticleFactory(body="Industrial Heat said so. IH said it again.")
    article_detect_mentions(article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.index("article__body") : html.index("</div>", html.index("article__body"))]
    assert body.count(f'href="{ih.get_absolute_url()}"') == 1
    assert f'<a class="mention" href="{ih.get_absolute_url()}">Industrial Heat</a> said so' in body


def test_scheduled_article_appears_on_time_in_feeds_and_sitemap(client):
    with time_machine.travel(NOON, tick=False):
        ArticleFactory(title="Park deal", slug="park-deal", publish_at=NOON + datetime.timedelta(hours=1))
        for url in ("/feeds/articles.rss", "/feeds/articles.atom", "/sitemap-articles.xml"):
            assert "park-deal" not in client.get(url).content.decode(), url
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        for url in ("/feeds/articles.rss", "/feeds/articles.atom", "/sitemap-articles.xml"):
            assert "park-deal" in client.get(url).content.decode(), url


def test_correction_appears_in_the_feed_entry(client):
    article = ArticleFactory(slug="park-deal")
    CorrectionFactory(article=article, text="It was $121 million.")
    assert "It was $121 million." in client.get("/feeds/articles.rss").content.decode()
