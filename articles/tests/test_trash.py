"""Deleting an article or a deal moves it to the trash: hidden everywhere, restorable for 30 days."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.admin import helpers
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, SourceFactory, TopicFactory
from investments.models import Investment
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.admin_forms import admin_form_data
from lenrnews.tests.api_support import API, client_for, editor
from lenrnews.tests.query_counts import queries_with_1_and_50_rows

pytestmark = pytest.mark.django_db

PUBLIC_LISTS = ["/articles/", "/feeds/articles.rss", "/sitemap-articles.xml", f"{API}articles/"]


@pytest.fixture
def trashed(client):
    article = ArticleFactory(title="Rossi demonstrates the Quark", slug="quark-demo")
    response = client_for(editor()).delete(f"{API}articles/quark-demo/")
    assert response.status_code == 204
    return article


def test_deleting_an_article_through_the_api_moves_it_to_the_trash(trashed):
    assert Article.objects.filter(pk=trashed.pk).exists() is False
    assert Article.all_objects.get(pk=trashed.pk).deleted_at is not None
    assert client_for(editor()).get(f"{API}articles/quark-demo/").status_code == 404


def test_an_article_in_the_trash_shows_on_no_public_surface(client, trashed):
    assert client.get("/articles/quark-demo/").status_code == 404
    for url in PUBLIC_LISTS:
        assert "Quark" not in client.get(url).content.decode(), url
    assert "/articles/quark-demo/" not in client.get("/search/", {"q": "Quark"}).content.decode()
    assert not Article.objects.published().filter(pk=trashed.pk).exists()


def test_a_trashed_article_keeps_its_slug(trashed):
    response = client_for(editor()).post(f"{API}articles/", {"title": "Another", "slug": "quark-demo", "body": "x"})
    assert response.status_code == 400
    assert "slug" in response.json()
    made_from_title = client_for(editor()).post(f"{API}articles/", {"title": "Quark demo", "body": "x"})
    assert made_from_title.status_code == 400
    assert "slug" in made_from_title.json()


def test_an_editor_restores_from_the_trash_in_the_admin(client, trashed):
    user = editor()
    client.force_login(user)
    trash = reverse("admin:articles_articleintrash_changelist")
    row = reverse("admin:articles_articleintrash_change", args=[trashed.pk])
    assert row in client.get(trash).content.decode()
    response = client.post(trash, {"action": "restore", helpers.ACTION_CHECKBOX_NAME: [trashed.pk]})
    assert response.status_code == 302
    assert client.get("/articles/quark-demo/").status_code == 200
    assert row not in client.get(trash).content.decode()


def test_deleting_in_the_admin_moves_to_the_trash(client):
    article = ArticleFactory()
    client.force_login(editor())
    response = client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert Article.all_objects.get(pk=article.pk).deleted_at is not None


def test_purge_deletes_what_has_been_in_the_trash_for_30_days():
    old, recent, live = ArticleFactory(), ArticleFactory(), ArticleFactory()
    deal = InvestmentFactory()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
        old.trash()
        deal.trash()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=29)):
        recent.trash()
    call_command("purge_trash", stdout=StringIO())
    assert set(Article.all_objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not Investment.all_objects.filter(pk=deal.pk).exists()
    call_command("purge_trash", "--days", "7", stdout=StringIO())
    assert set(Article.all_objects.values_list("pk", flat=True)) == {live.pk}


def test_a_trashed_deal_is_gone_from_pages_api_and_counts(client):
    deal = InvestmentFactory(title="Cherokee buys in", slug="cherokee-buys-in")
    [recipient] = deal.recipients.all()
    assert client_for(editor()).delete(f"{API}investments/cherokee-buys-in/").status_code == 204
    assert client.get("/investments/cherokee-buys-in/").status_code == 404
    assert "Cherokee buys in" not in client.get("/investments/").content.decode()
    assert client.get(f"{API}investments/cherokee-buys-in/").status_code == 404
    assert "Cherokee buys in" not in client.get(recipient.get_absolute_url()).content.decode()
    Investment.all_objects.get(pk=deal.pk).restore()
    assert client.get("/investments/cherokee-buys-in/").status_code == 200


def test_the_article_list_runs_as_many_queries_with_rows_in_the_trash(client):
    def grow(count):
        for _ in range(count):
            ArticleFactory()
            ArticleFactory().trash()

    (one, queries_one), (fifty, queries_fifty) = queries_with_1_and_50_rows(grow, client.get, "/articles/")
    assert queries_one == queries_fifty


def test_topics_have_a_revision_history(client):
    topic = TopicFactory(name="Ni-H")
    topic.description = "Nickel and hydrogen."
    topic.save()
    assert [record.description for record in topic.history.all()] == ["Nickel and hydrogen.", ""]
    client.force_login(editor())
    assert client.get(reverse("admin:articles_topic_history", args=[topic.pk])).status_code == 200


def _revert(client, article, revision, **changes):
    url = reverse("admin:articles_article_simple_history", args=[article.pk, revision.history_id])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, admin_form_data(page, **changes)), page


def test_reverting_restores_topics_and_sources_and_keeps_the_status(client):
    nih, pdd = TopicFactory(name="Ni-H"), TopicFactory(name="Pd-D")
    source = SourceFactory(title="Vortex-L post")
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    article.topics.add(nih)
    article.sources.add(source)
    revision = article.history.latest()
    article.topics.set([pdd])
    article.sources.clear()
    article.status = Article.Status.PUBLISHED
    article.save()
    client.force_login(editor())
    response, page = _revert(client, article, revision)
    assert "Also restore the publication status" in page.content.decode()
    assert response.status_code == 302
    article.refresh_from_db()
    assert list(article.topics.all()) == [nih]
    assert list(article.sources.all()) == [source]
    assert article.status == Article.Status.PUBLISHED  # not unpublished by the revert


def test_reverting_restores_the_status_when_the_editor_asks(client):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    revision = article.history.latest()
    article.status = Article.Status.PUBLISHED
    article.save()
    client.force_login(editor())
    response, _ = _revert(client, article, revision, restore_status=True)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_reverting_a_deal_restores_its_sources(client):
    deal = InvestmentFactory()
    cited = SourceFactory(title="Press release")
    deal.sources.add(cited)
    revision = deal.history.latest()
    deal.sources.clear()
    client.force_login(editor())
    url = reverse("admin:investments_investment_simple_history", args=[deal.pk, revision.history_id])
    response = client.post(url, admin_form_data(client.get(url)))
    assert response.status_code == 302
    assert list(deal.sources.all()) == [cited]
