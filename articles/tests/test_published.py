"""``Article.objects.published()`` is the one rule for what readers may see: test its edges."""

import datetime

import pytest
import time_machine

from articles.models import Article
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2016, 3, 11, 12, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(
    ("status", "publish_at", "public"),
    [
        (Article.Status.DRAFT, NOW - SECOND, False),
        (Article.Status.REVIEW, NOW - SECOND, False),
        (Article.Status.PUBLISHED, NOW + SECOND, False),
        (Article.Status.PUBLISHED, NOW, True),
        (Article.Status.PUBLISHED, NOW - SECOND, True),
    ],
    ids=["draft", "review", "scheduled-one-second-ahead", "publishing-now", "published-one-second-ago"],
)
def test_published_at_its_edges(clock, status, publish_at, public):
    article = ArticleFactory(status=status, publish_at=publish_at)
    assert (article in Article.objects.published()) is public
    assert article.is_public is public


def test_a_draft_without_publish_time_stays_hidden(clock):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_a_scheduled_article_appears_when_its_time_comes(clock):
    article = ArticleFactory(publish_at=NOW + SECOND)
    assert article.is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()

    clock.shift(SECOND)

    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publishing_without_a_time_publishes_now(clock):
    article = ArticleFactory(publish_at=None)
    assert article.publish_at == NOW
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_the_body_is_rendered_and_sanitized_on_save(clock):
    article = ArticleFactory(body="**Rossi** <script>alert(1)</script>")
    assert "<strong>Rossi</strong>" in article.body_html
    assert "<script" not in article.body_html
