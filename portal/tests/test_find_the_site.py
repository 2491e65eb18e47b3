"""A newcomer finds the rest of the site: topics, corrections, the API docs and the feeds from every page,
"Follow" links, results before filters on a phone, and a banner when the data is synthetic."""

import datetime

import pytest
from django.test import override_settings

from articles.models import Article, Topic
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def publish(title, topic):
    article = Article.objects.create(
        title=title, slug=title.lower().replace(" ", "-"), body="Text.", status="published",
        publish_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    article.topics.add(topic)
    return article


def test_the_topics_index_lists_every_topic_with_its_published_articles(client):
    busy, quiet = Topic.objects.create(name="Funding"), Topic.objects.create(name="Patents")
    publish("One", busy)
    publish("Two", busy)
    Article.objects.create(title="Draft", slug="draft", body="x").topics.add(quiet)
    page = client.get("/topics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Funding") < html.index("Patents")
    assert "2 articles" in html and "0 articles" in html
    assert "/feeds/topics/funding.rss" in html


@pytest.mark.parametrize("url", ["/", "/articles/", "/organizations/", "/events/", "/topics/", "/search/?q=x"])
def test_every_page_links_topics_corrections_api_docs_and_feeds(client, url):
    html = client.get(url).content.decode()
    for href in ('href="/topics/"', 'href="/corrections/"', 'href="/api/docs/"', 'href="/feeds/articles.rss"'):
        assert href in html, (url, href)


def test_topics_organizations_and_home_have_visible_follow_links(client):
    topic = Topic.objects.create(name="China")
    organization = Organization.objects.create(name="Industrial Heat")
    assert 'class="follow"' in client.get("/").content.decode()
    topic_page = client.get(topic.get_absolute_url()).content.decode()
    assert 'class="follow"' in topic_page and "/feeds/topics/china.atom" in topic_page
    organization_page = client.get(organization.get_absolute_url()).content.decode()
    assert (
        "Follow Industrial Heat" in organization_page
        and "/feeds/organizations/industrial-heat.rss" in organization_page
    )


def test_a_listing_puts_its_results_first_in_the_page_and_keeps_the_form_open(client):
    html = client.get("/organizations/?kind=company").content.decode()
    assert '<details class="filters__details" open>' in html
    assert 'href="#filters-heading"' in html


def test_synthetic_data_is_announced_on_every_page(client):
    assert "synthetic-banner" not in client.get("/").content.decode()
    with override_settings(SYNTHETIC_DATA=True):
        for url in ("/", "/organizations/", "/topics/"):
            assert "the data on this site is synthetic" in client.get(url).content.decode()


@pytest.mark.browser
def test_on_a_phone_the_first_result_is_above_the_filter_form(live_server, open_page):
    for n in range(3):
        Organization.objects.create(name=f"Company {n}")
    page = open_page(375)
    page.goto(live_server.url + "/organizations/")
    first_card = page.locator(".results .card").first.bounding_box()
    form = page.locator("form.filter-form").bounding_box()
    assert first_card["y"] < form["y"]
    assert first_card["y"] < 800
    wide = open_page(1280)
    wide.goto(live_server.url + "/organizations/?kind=company")
    assert wide.locator("form.filter-form").is_visible()
