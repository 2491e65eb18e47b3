"""The frame every page shares: navigation, internal links, the confidence glossary."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils.text import capfirst

from articles.tests.factories import CorrectionFactory
from investments.models import Event, Investment
from investments.tests.story import build_story
from lenrnews.models import CONFIDENCE_GLOSSARY, Confidence
from organizations.models import Affiliation, TechnologyStake

pytestmark = pytest.mark.django_db

SECTIONS = ["Articles", "Organizations", "Technologies", "Deals", "Events", "People"]
FOOTER_EXTRAS = ["Topics", "Corrections", "API", "API docs", "RSS", "Atom"]


class PageLinks(HTMLParser):
    """A page's link targets (a, link, form) and its main navigation as (label, marked current)."""

    def __init__(self):
        super().__init__()
        self.targets, self.main_nav, self.footer_nav = [], [], []
        self._nav = None
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._nav = {"Main": self.main_nav, "Footer": self.footer_nav}.get(attrs.get("aria-label"))
        elif tag in ("a", "link") and attrs.get("href"):
            self.targets.append(attrs["href"])
        elif tag == "form" and attrs.get("action"):
            self.targets.append(attrs["action"])
        if tag == "a" and self._nav is not None:
            self._link = [attrs.get("href"), "", attrs.get("aria-current") == "page"]

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self._nav.append((self._link[1].strip(), self._link[2]))
            self._link = None
        elif tag == "nav":
            self._nav = None


def parse(response):
    parser = PageLinks()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def story():
    story = build_story()
    CorrectionFactory(article=story["article"])
    return story


def public_pages(story):
    """One address of every kind of public page, with the navigation section it belongs to."""
    return [
        (reverse("home"), None),
        (reverse("articles:article_list"), "Articles"),
        (story["article"].get_absolute_url(), "Articles"),
        (story["topic"].get_absolute_url(), "Articles"),
        (reverse("articles:correction_list"), None),
        (reverse("organizations:organization_list"), "Organizations"),
        (story["heat"].get_absolute_url(), "Organizations"),
        (reverse("organizations:technology_list"), "Technologies"),
        (story["ecat"].get_absolute_url(), "Technologies"),
        (reverse("investments:investment_list"), "Deals"),
        (story["baishishan"].get_absolute_url(), "Deals"),
        (reverse("organizations:person_list"), "People"),
        (story["darden"].get_absolute_url(), "People"),
        (reverse("search") + "?q=Industrial+Heat", None),
    ]


def test_the_navigation_marks_the_section_of_each_page_and_no_other(client, story):
    for url, section in public_pages(story):
        page = parse(client.get(url))

        assert [label for label, _ in page.main_nav] == SECTIONS, url
        assert [label for label, current in page.main_nav if current] == ([section] if section else []), url
        assert [label for label, _ in page.footer_nav] == [*SECTIONS, *FOOTER_EXTRAS], url
        assert not any(current for _, current in page.footer_nav), url


def test_a_missing_page_marks_no_section(client):
    page = parse(client.get("/no-such-page/"))

    assert [label for label, _ in page.main_nav] == SECTIONS
    assert not any(current for _, current in page.main_nav)


def test_every_internal_link_follows_the_site_prefix_and_answers(client, story):
    """Served under /news/, every link to the site carries the prefix (none is written out) and opens."""
    prefix = "/news/"
    site = settings.SITE_URL.rstrip("/")
    pages = [url for url, _ in public_pages(story)] + ["/no-such-page/"]
    set_script_prefix(prefix)
    try:
        targets = set()
        for url in pages:
            response = client.get(url, SCRIPT_NAME=prefix.rstrip("/"))
            targets |= {t.removeprefix(site) for t in parse(response).targets if t.startswith(("/", site))}
        targets = {t for t in targets if not t.startswith(settings.STATIC_URL)}  # static files have their own URL
        assert len(targets) > 40
        unprefixed = sorted(t for t in targets if not t.startswith(prefix))
        assert unprefixed == []

        statuses = {}
        for target in targets:
            path = "/" + target.removeprefix(prefix).split("#")[0]
            statuses[target] = client.get(path, SCRIPT_NAME=prefix.rstrip("/")).status_code
    finally:
        clear_script_prefix()
    assert {target: status for target, status in statuses.items() if status != 200} == {}


def test_the_header_search_box_keeps_the_query_on_the_search_page_only(client):
    search = client.get(reverse("search") + "?q=rossi").content.decode()
    listing = client.get(reverse("articles:article_list") + "?q=rossi").content.decode()

    assert 'id="site-search-q" type="search" name="q" placeholder="Search" value="rossi"' in search
    assert 'id="site-search-q" type="search" name="q" placeholder="Search" value=""' in listing


def test_every_confidence_level_is_explained():
    assert list(CONFIDENCE_GLOSSARY) == list(Confidence)
    assert all(CONFIDENCE_GLOSSARY.values())


def test_badges_and_the_editors_help_text_explain_confidence_in_the_same_words(client):
    html = client.get(reverse("home")).content.decode()
    help_texts = [
        model._meta.get_field("confidence").help_text for model in (Investment, TechnologyStake, Affiliation, Event)
    ]

    for level, meaning in CONFIDENCE_GLOSSARY.items():
        assert f'<span class="badge badge--{level}" title="{capfirst(meaning)}">' in html
        for help_text in help_texts:
            assert f"{level.label}: {meaning}." in help_text


def render(template, **context):
    return Template("{% load lenrnews_tags %}" + template).render(Context(context))


def test_a_link_off_the_site_passes_nothing_on_and_a_missing_address_leaves_plain_text():
    linked = render("{% external_link url text %}", url="https://example.com/?a=1&b=2", text="E-Cat World")
    plain = render("{% external_link url text %}", url="", text="<b>Vortex-L</b>")

    assert linked == '<a href="https://example.com/?a=1&amp;b=2" rel="nofollow noopener noreferrer">E-Cat World</a>'
    assert plain == "&lt;b&gt;Vortex-L&lt;/b&gt;"


def test_a_deal_lists_its_investing_organizations_then_its_investing_people(client, story):
    story["baishishan"].investor_people.add(story["darden"])

    html = client.get(story["baishishan"].get_absolute_url()).content.decode()

    parties = html[html.index('id="parties-heading"') : html.index('id="lifecycle-heading"')]
    assert parties.index(">Industrial Heat</a>") < parties.index(">Tom Darden</a>") < parties.index("To (recipient)")
    assert parties.index("To (recipient)") > parties.rindex("From (investor)")
