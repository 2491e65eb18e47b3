import json
import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from articles.tests.factories import ArticleFactory
from lenrnews.seo import json_ld_script
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
BASE = "http://127.0.0.1:8000"


class HeadParser(HTMLParser):
    """The head's title, meta tags, links and JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.title, self.meta, self.links, self.json_ld = "", {}, [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json_ld":
            self.json_ld[-1] += data


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def links(parser, rel):
    return [link for link in parser.links if link.get("rel") == rel]


def test_article_page_metadata(world, client):
    page = head(client, "/articles/industrial-heat-china/")
    assert page.title.startswith("Industrial Heat signs deal to transfer LENR technology to China")
    assert page.meta["description"] == "The owner of Rossi's E-Cat joins a Chinese technology park."
    assert links(page, "canonical") == [{"rel": "canonical", "href": f"{BASE}/articles/industrial-heat-china/"}]
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == "Industrial Heat signs deal to transfer LENR technology to China"
    assert page.meta["og:url"] == f"{BASE}/articles/industrial-heat-china/"
    assert page.meta["og:site_name"] == "lenrnews"
    assert page.meta["twitter:card"] == "summary"
    assert page.meta["twitter:title"] == page.meta["og:title"]
    assert page.meta["article:published_time"] == world.article.publish_at.isoformat()
    (data,) = [json.loads(block) for block in page.json_ld]
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == world.article.title
    assert data["author"] == {"@type": "Person", "name": "Staff writer"}
    assert data["publisher"]["name"] == "lenrnews"
    assert data["datePublished"].startswith(world.article.publish_at.date().isoformat())
    assert data["dateModified"] >= data["datePublished"]
    assert data["url"] == f"{BASE}/articles/industrial-heat-china/"


def test_json_ld_cannot_break_out_of_its_script(client):
    ArticleFactory(slug="tricky", title='</script><script>alert("x")</script> & more', standfirst="<b>")
    response = client.get("/articles/tricky/")
    html = response.content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == '</script><script>alert("x")</script> & more'
    assert "<script>alert" not in html


def test_json_ld_script_escapes_markup():
    html = str(json_ld_script({"name": "</script><!-- & -->"}))
    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html
    assert "\\u0026" in html


def test_every_page_has_a_title_description_canonical_and_site_feeds(world, client):
    pages = [
        "/",
        "/articles/",
        "/topics/industry/",
        "/articles/industrial-heat-china/",
        "/organizations/",
        "/organizations/industrial-heat/",
        "/people/",
        "/people/andrea-rossi/",
        "/technologies/",
        "/technologies/e-cat/",
        "/investments/",
        "/investments/industrial-heat-baishishan/",
        "/search/",
        "/search/?q=heat",
    ]
    for url in pages:
        page = head(client, url)
        assert page.title.strip(), url
        assert page.meta.get("description"), url
        assert page.meta.get("og:title") and page.meta.get("og:description") and page.meta.get("twitter:card"), url
        (canonical,) = links(page, "canonical")
        assert canonical["href"] == BASE + url.split("?")[0], url
        feeds = {link["href"]: link["type"] for link in links(page, "alternate")}
        assert feeds[f"{BASE}/feeds/articles.rss"] == "application/rss+xml", url
        assert feeds[f"{BASE}/feeds/articles.atom"] == "application/atom+xml", url


def test_canonical_keeps_the_page_number_only(world, client):
    page = head(client, "/articles/?q=heat&page=1")
    assert links(page, "canonical")[0]["href"] == f"{BASE}/articles/"


def test_description_is_plain_text_from_markdown(client):
    OrganizationFactory(slug="md", summary="", description="**Bold** [site](https://example.com) and\n\n# more")
    assert head(client, "/organizations/md/").meta["description"] == "Bold site and more"


def test_topic_page_advertises_its_feeds(world, client):
    page = head(client, "/topics/industry/")
    feeds = {link["href"] for link in links(page, "alternate")}
    assert f"{BASE}/feeds/topics/industry.rss" in feeds
    assert f"{BASE}/feeds/topics/industry.atom" in feeds


def test_organization_page_metadata(world, client):
    page = head(client, "/organizations/industrial-heat/")
    assert page.meta["og:title"] == "Industrial Heat"
    assert page.meta["description"] == "Raleigh company that owns the rights to the E-Cat."
    (data,) = [json.loads(block) for block in page.json_ld]
    assert data["@type"] == "Corporation"
    assert data["name"] == "Industrial Heat"
    assert data["alternateName"] == ["IH", "Industrial Heat LLC"]
    assert data["url"] == f"{BASE}/organizations/industrial-heat/"
    feeds = {link["href"] for link in links(page, "alternate")}
    assert f"{BASE}/feeds/organizations/industrial-heat.rss" in feeds
    assert f"{BASE}/feeds/organizations/industrial-heat.atom" in feeds


def test_person_page_has_person_json_ld(world, client):
    page = head(client, "/people/andrea-rossi/")
    (data,) = [json.loads(block) for block in page.json_ld]
    assert data["@type"] == "Person"
    assert data["name"] == "Andrea Rossi"
    assert page.meta["og:type"] == "profile"


def test_preview_of_a_draft_is_not_indexed(world, client):
    from django.test import RequestFactory

    from articles.views import ArticleDetailView

    request = RequestFactory().get("/articles/draft-baishishan/")
    view = ArticleDetailView()
    view.setup(request, slug="draft-baishishan")
    view.object = world.draft
    context = view.get_context_data(object=world.draft, noindex=True)
    html = Template("{% extends 'articles/article_detail.html' %}").render(Context(context))
    assert '<meta name="robots" content="noindex">' in html


def test_search_results_are_not_indexed(world, client):
    assert head(client, "/search/?q=heat").meta["robots"] == "noindex"


def render(source, **context):
    return Template("{% load seo %}" + source).render(Context(context))


def test_organization_json_ld(world):
    subsidiary = OrganizationFactory(
        name="IH Holdings International",
        slug="ih-holdings",
        parent=world.industrial_heat,
        city="Raleigh",
        founded=2013,
        website="https://example.com/",
    )
    html = render("{% json_ld organization %}", organization=subsidiary)
    data = json.loads(re.search(r">(.*)</script>", html, re.S).group(1))
    assert data["@type"] == "Corporation"
    assert data["name"] == "IH Holdings International"
    assert data["url"] == f"{BASE}/organizations/ih-holdings/"
    assert data["foundingDate"] == "2013"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "US", "addressLocality": "Raleigh"}
    assert data["parentOrganization"]["url"] == f"{BASE}/organizations/industrial-heat/"
    assert data["sameAs"] == ["https://example.com/"]
    park = json.loads(re.search(r">(.*)</script>", render("{% json_ld o %}", o=world.park), re.S).group(1))
    assert park["@type"] == "Organization"


def test_organization_feed_links(world):
    html = render("{% feed_links organization %}", organization=world.industrial_heat)
    assert f'href="{BASE}/feeds/organizations/industrial-heat.rss"' in html
    assert f'href="{BASE}/feeds/organizations/industrial-heat.atom"' in html


def test_json_ld_of_anything_else_is_empty(world):
    assert render("{% json_ld deal %}", deal=world.deal) == ""
