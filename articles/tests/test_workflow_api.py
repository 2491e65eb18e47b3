"""The workflow seen through the API: the Writer group cannot publish there either,
saves detect mentions, and a scheduled article appears on time."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from articles.models import Article
from articles.tests.factories import ArticleFactory
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/articles/"
NOON = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(**changes):
    return {"title": "IH signs with Baishishan", "body": "Industrial Heat signed.", "status": "draft", **changes}


def test_writer_group_cannot_publish_a_new_article_through_the_api(writer):
    response = api_client(writer).post(API, payload(status="published"), format="json")
    assert response.status_code == 403
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"status": "published"}, {"status": "published", "publish_at": "2030-01-01T00:00:00Z"}],
)
def test_writer_group_cannot_publish_or_schedule_a_draft_through_the_api(writer, change):
    article = ArticleFactory(slug="it", status=Article.Status.REVIEW, publish_at=None)
    assert api_client(writer).patch(f"{API}it/", change, format="json").status_code == 403
    article.refresh_from_db()
    assert (article.status, article.publish_at) == ("review", None)


def test_writer_group_cannot_unpublish_through_the_api(writer):
    ArticleFactory(slug="it")
    assert api_client(writer).patch(f"{API}it/", {"status": "draft"}, format="json").status_code == 403
    assert Article.objects.published().count() == 1


def test_editor_group_publishes_through_the_api(editor):
    response = api_client(editor).post(API, payload(status="published"), format="json")
    assert response.status_code == 201, response.content
    assert Article.objects.published().count() == 1


def test_saving_through_the_api_detects_mentions_and_respects_rejections(writer):
    ih = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH")
    cherokee = OrganizationFactory(name="Cherokee", slug="cherokee")
    response = api_client(writer).post(API, payload(body="IH and Cherokee signed."), format="json")
    assert response.status_code == 201, response.content
    article = Article.objects.get()
    assert set(article.organizations.all()) == {ih, cherokee}
    article.rejected_organizations.add(cherokee)
    article.organizations.remove(cherokee)
    api_client(writer).patch(f"{API}{article.slug}/", {"body": "IH and Cherokee, again."}, format="json")
    assert set(article.organizations.all()) == {ih}


def test_scheduled_article_appears_in_the_api_on_time(client):
    with time_machine.travel(NOON, tick=False):
        ArticleFactory(slug="park-deal", publish_at=NOON + datetime.timedelta(hours=1))
        assert client.get(API).json()["count"] == 0
        assert client.get(f"{API}park-deal/").status_code == 404
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        assert [row["slug"] for row in client.get(API).json()["results"]] == ["park-deal"]
        assert client.get(f"{API}park-deal/").status_code == 200
