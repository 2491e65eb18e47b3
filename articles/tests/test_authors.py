"""Author profiles: bylines print display names linking to the author's page and feed, never a login name."""

import datetime

import feedparser
import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from articles.models import Article, ArticleAuthor, Author
from lenrnews.tests.admin_forms import admin_form_data, form_errors
from lenrnews.tests.query_counts import queries_with_1_and_50_rows

pytestmark = pytest.mark.django_db
PUBLISHED = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)


def article(title, *authors, **fields):
    made = Article.objects.create(
        title=title, slug=title.lower().replace(" ", "-"), body="Body.", status="published", publish_at=PUBLISHED,
        **fields,
    )  # fmt: skip
    for n, author in enumerate(authors):
        ArticleAuthor.objects.create(article=made, author=author, position=n)
    return made


@pytest.fixture
def wendy():
    user = User.objects.create_user("wendy", first_name="", last_name="")
    return Author.objects.create(display_name="Wendy Marsh", slug="wendy-marsh", bio="Covers **funding**.", user=user)


def test_bylines_name_every_author_and_link_their_pages(client, wendy):
    second = Author.objects.create(display_name="Ken Ito", slug="ken-ito")
    story = article("A licence ends", wendy, second)
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<a href="/authors/wendy-marsh/" rel="author">Wendy Marsh</a> and <a href="/authors/ken-ito/"' in html
    assert "wendy<" not in html and ">wendy" not in html
    assert '"name": "Wendy Marsh"' in html  # JSON-LD names the author, with the author's page
    listing = client.get("/articles/").content.decode()
    assert "Wendy Marsh" in listing


def test_the_author_page_lists_published_articles_and_has_a_feed(client, wendy):
    article("Published one", wendy)
    draft = article("A draft", wendy)
    Article.objects.filter(pk=draft.pk).update(status="draft")
    page = client.get("/authors/wendy-marsh/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Published one" in html and "A draft" not in html and "<strong>funding</strong>" in html
    assert "/feeds/authors/wendy-marsh.rss" in html
    feed = feedparser.parse(client.get("/feeds/authors/wendy-marsh.rss").content)
    assert [entry.title for entry in feed.entries] == ["Published one"]
    assert feed.entries[0].author == "Wendy Marsh"
    assert client.get("/authors/nobody/").status_code == 404


def test_no_page_feed_or_api_shows_a_login_name(client, db):
    user = User.objects.create_user("jdoe42", first_name="", last_name="")
    story = article("By a login", author=user)
    for url in (story.get_absolute_url(), "/articles/", "/feeds/articles.rss", "/api/v1/articles/"):
        assert "jdoe42" not in client.get(url).content.decode(), url


def test_an_article_written_in_the_admin_is_bylined_with_the_writers_profile(editor_client, editor):
    editor.first_name, editor.last_name = "Erin", "Editor"
    editor.save()
    add = reverse("admin:articles_article_add")
    data = admin_form_data(editor_client.get(add), title="New story", slug="new-story", body="Text.")
    response = editor_client.post(add, data)
    assert response.status_code == 302, form_errors(response)
    story = Article.objects.get(slug="new-story")
    assert story.byline_display == "Erin Editor"
    assert Author.objects.get(user=editor).display_name == "Erin Editor"


def test_the_api_reads_and_writes_authors(editor, wendy):
    api = APIClient()
    api.force_authenticate(editor)
    story = article("For the API", wendy)
    row = api.get(f"/api/v1/articles/{story.slug}/").json()
    assert row["author"] == "Wendy Marsh" and [a["slug"] for a in row["authors"]] == ["wendy-marsh"]
    Author.objects.create(display_name="Ken Ito", slug="ken-ito")
    response = api.patch(f"/api/v1/articles/{story.slug}/", {"authors": ["ken-ito"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["author"] == "Ken Ito"


def test_bylines_cost_the_same_queries_for_1_and_50_articles(client, wendy):
    def grow(count):
        for _ in range(count):
            article(f"Story {Article.objects.count()}", wendy)

    (one, one_count), (fifty, fifty_count) = queries_with_1_and_50_rows(grow, client.get, "/articles/")
    assert one_count == fifty_count
