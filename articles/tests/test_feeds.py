import datetime

import feedparser
import pytest
import time_machine
from django.utils import timezone

from articles.tests.factories import ArticleFactory, CorrectionFactory, TopicFactory
from lenrnews.tests.query_counts import queries_with_1_and_50_rows
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/articles.rss", "/feeds/articles.atom"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def entry_links(feed):
    return [entry.link for entry in feed.entries]


@pytest.mark.parametrize("url", FEEDS)
def test_site_feed_lists_published_articles_only(world, client, url):
    response, feed = parse(client, url)
    assert entry_links(feed) == ["http://127.0.0.1:8000/articles/industrial-heat-china/"]
    body = response.content.decode()
    for hidden in ("secret", "audit", "Scheduled"):
        assert hidden not in body


@pytest.mark.parametrize("url", FEEDS)
def test_entries_carry_content_author_categories_and_dates(world, client, url):
    CorrectionFactory(article=world.article, text="The agreement was signed on **20 October** 2015.")
    _, feed = parse(client, url)
    entry = feed.entries[0]
    assert entry.title == "Industrial Heat signs deal to transfer LENR technology to China"
    assert entry.author == "Staff writer"
    assert [tag.term for tag in entry.tags] == ["Industry"]
    assert entry.published_parsed is not None
    content = entry.content[0].value
    assert "Baishishan International Innovation Park" in content
    assert "<strong>20 October</strong>" in content
    assert "Corrections" in content
    assert entry.summary == "The owner of Rossi's E-Cat joins a Chinese technology park."


def test_feed_content_is_sanitized(client):
    ArticleFactory(title="Tricky", body='Hello <script>alert(1)</script> <img src=x onerror="alert(1)">')
    _, feed = parse(client, "/feeds/articles.rss")
    content = feed.entries[0].content[0].value
    # Raw HTML in Markdown is shown as text, never passed on as markup.
    assert "<script" not in content
    assert "<img" not in content
    assert "&lt;script&gt;" in content


def test_feed_has_the_latest_30_newest_first(client):
    now = timezone.now()
    for n in range(35):
        ArticleFactory(slug=f"story-{n}", publish_at=now - datetime.timedelta(hours=n + 1))
    _, feed = parse(client, "/feeds/articles.atom")
    assert len(feed.entries) == 30
    assert feed.entries[0].link.endswith("/articles/story-0/")
    assert feed.entries[-1].link.endswith("/articles/story-29/")


def test_scheduled_article_enters_the_feed_at_its_time(world, client):
    _, feed = parse(client, "/feeds/articles.rss")
    assert not any("scheduled-baishishan" in link for link in entry_links(feed))
    with time_machine.travel(world.scheduled.publish_at + datetime.timedelta(seconds=1), tick=False):
        _, feed = parse(client, "/feeds/articles.rss")
    assert entry_links(feed)[0].endswith("/articles/scheduled-baishishan/")


@pytest.mark.parametrize("ext", ["rss", "atom"])
def test_topic_feed(world, client, ext):
    other_topic = TopicFactory()
    ArticleFactory(slug="elsewhere").topics.add(other_topic)
    _, feed = parse(client, f"/feeds/topics/industry.{ext}")
    assert entry_links(feed) == ["http://127.0.0.1:8000/articles/industrial-heat-china/"]
    assert feed.feed.title == "lenrnews: Industry"


@pytest.mark.parametrize("ext", ["rss", "atom"])
def test_organization_feed_lists_articles_mentioning_it(world, client, ext):
    ArticleFactory(slug="unrelated")
    _, feed = parse(client, f"/feeds/organizations/industrial-heat.{ext}")
    assert entry_links(feed) == ["http://127.0.0.1:8000/articles/industrial-heat-china/"]
    _, feed = parse(client, f"/feeds/organizations/cherokee-partners.{ext}")
    assert feed.entries == []


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/topics/no-such-topic.rss",
        "/feeds/topics/no-such-topic.atom",
        "/feeds/organizations/no-such-company.rss",
        "/feeds/organizations/no-such-company.atom",
    ],
)
def test_unknown_slug_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [*FEEDS, "/feeds/topics/t.rss", "/feeds/organizations/o.atom"])
def test_feeds_run_a_fixed_number_of_queries(client, url):
    topic = TopicFactory(slug="t")
    organization = OrganizationFactory(slug="o")

    def add_articles(count):
        for _ in range(count):
            article = ArticleFactory()
            article.topics.add(topic, TopicFactory())
            article.organizations.add(organization)
            CorrectionFactory(article=article)

    (_, one), (_, fifty) = queries_with_1_and_50_rows(add_articles, parse, client, url)
    assert fifty == one
    assert one <= 5  # the object, the articles, their topics, corrections and bylines
