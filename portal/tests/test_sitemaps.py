import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine

from articles.tests.factories import ArticleFactory
from lenrnews.sitemaps import SiteSitemap
from lenrnews.tests.query_counts import queries_with_1_and_50_rows
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://127.0.0.1:8000"


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)], root


def all_page_urls(client):
    sections, _ = locations(client, "/sitemap.xml")
    urls = []
    for section in sections:
        urls += locations(client, section.removeprefix(BASE))[0]
    return urls


def test_index_lists_every_section(world, client):
    sections, root = locations(client, "/sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert sections == [
        f"{BASE}/sitemap-{name}.xml"
        for name in ["articles", "topics", "organizations", "people", "technologies", "deals", "events"]
    ]


def test_sitemap_lists_public_pages_and_nothing_private(world, client):
    urls = all_page_urls(client)
    for expected in [
        "/articles/industrial-heat-china/",
        "/topics/industry/",
        "/organizations/industrial-heat/",
        "/organizations/baishishan-park/",
        "/people/andrea-rossi/",
        "/technologies/e-cat/",
        "/investments/industrial-heat-baishishan/",
    ]:
        assert BASE + expected in urls
    for hidden in ("draft-baishishan", "review-baishishan", "scheduled-baishishan"):
        assert not any(hidden in url for url in urls)


def test_scheduled_article_enters_the_sitemap_at_its_time(world, client):
    with time_machine.travel(world.scheduled.publish_at + datetime.timedelta(seconds=1), tick=False):
        urls = all_page_urls(client)
    assert f"{BASE}/articles/scheduled-baishishan/" in urls


def test_article_lastmod_is_its_last_change(world, client):
    _, root = locations(client, "/sitemap-articles.xml")
    (url,) = root.findall("sm:url", NS)
    lastmod = url.find("sm:lastmod", NS).text
    world.article.refresh_from_db()
    assert lastmod == max(world.article.updated_at, world.article.publish_at).date().isoformat()


def test_sections_are_paginated(client, monkeypatch):
    monkeypatch.setattr(SiteSitemap, "limit", 2)
    for _ in range(5):
        OrganizationFactory()
    sections, _ = locations(client, "/sitemap.xml")
    assert f"{BASE}/sitemap-organizations.xml?p=3" in sections
    assert len(locations(client, "/sitemap-organizations.xml?p=3")[0]) == 1
    assert client.get("/sitemap-organizations.xml?p=4").status_code == 404
    assert client.get("/sitemap-organizations.xml?p=x").status_code == 404


def test_unknown_section_is_404(client):
    assert client.get("/sitemap-secrets.xml").status_code == 404


def test_sitemap_runs_a_fixed_number_of_queries(client):
    def grow(count):
        for _ in range(count):
            ArticleFactory()
            OrganizationFactory()

    (_, one), (_, fifty) = queries_with_1_and_50_rows(grow, all_page_urls, client)
    assert fifty == one


def test_robots_txt_names_the_sitemap_and_closes_admin_and_previews(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_urls_follow_site_url(world, client, settings):
    settings.SITE_URL = "https://lenrnews.example"
    sections, _ = locations(client, "/sitemap.xml")
    assert sections[0] == "https://lenrnews.example/sitemap-articles.xml"
    urls, _ = locations(client, "/sitemap-articles.xml")
    assert urls == ["https://lenrnews.example/articles/industrial-heat-china/"]
    assert "Sitemap: https://lenrnews.example/sitemap.xml" in client.get("/robots.txt").content.decode()
