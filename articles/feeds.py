"""RSS 2.0 and Atom feeds of the latest published articles: all, per topic, per organization.

Every feed starts from ``Article.objects.published()``: no draft, no article in
review and no scheduled article before its time. Entries carry the full sanitized
body (RSS ``content:encoded``, Atom ``content``) with the article's corrections
appended, its author, its topics as categories, and its dates.
"""

from html import escape

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import feedgenerator
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from lenrnews.seo import absolute_url
from organizations.models import Organization

from .models import Article, Author, Topic

FEED_LENGTH = 30


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the full article in ``content:encoded``."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomWithContent(Atom1Feed):
    """Atom with the full article in ``content``; the standfirst stays the summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


def article_feed_content(article):
    """The article's sanitized HTML body, followed by its corrections."""
    corrections = list(article.corrections.all())
    if not corrections:
        return article.body_html
    items = format_html_join(
        "\n",
        '<li id="correction-{}"><p><strong>{}</strong></p>{}</li>',
        (
            (c.pk, f"Correction, {c.published_on.day} {c.published_on:%B %Y}:", mark_safe(c.text_html))
            for c in corrections
        ),
    )
    return article.body_html + format_html(
        '\n<section class="corrections"><h2>Corrections</h2><ul>{}</ul></section>', items
    )


class LatestArticlesFeed(Feed):
    """The latest published articles, newest first."""

    feed_type: type[feedgenerator.SyndicationFeed] = RssWithContent
    author_name = settings.SITE_NAME

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest articles"

    def description(self, obj=None):
        return "News of the LENR (cold fusion) field: companies, people, technologies and deals."

    def subtitle(self, obj=None):
        return self.description(obj)

    def link(self, obj=None):
        return absolute_url(reverse("articles:article_list"))

    url_name = "feeds:articles_rss"

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, kwargs={"slug": obj.slug} if obj else None))

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return self.articles(obj).with_bylines().prefetch_related("topics", "corrections")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return escape(item.standfirst, quote=False) if item.standfirst else None

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_author_name(self, item):
        return item.byline_display or None

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        # Edited before its publication time, an article is still new when it appears.
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def item_extra_kwargs(self, item):
        return {"content": article_feed_content(item)}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomWithContent
    url_name = "feeds:articles_atom"


class TopicFeed(LatestArticlesFeed):
    """One topic's latest articles."""

    url_name = "feeds:topic_rss"

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj=None):
        return f"The latest articles on {obj.name}."

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def articles(self, obj):
        return Article.objects.published().filter(topics=obj)


class TopicAtomFeed(TopicFeed):
    feed_type = AtomWithContent
    url_name = "feeds:topic_atom"


class OrganizationFeed(LatestArticlesFeed):
    """The latest articles that mention one organization."""

    url_name = "feeds:organization_rss"

    def get_object(self, request, slug):
        return get_object_or_404(Organization, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj=None):
        return f"The latest articles mentioning {obj.name}."

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def articles(self, obj):
        return Article.objects.published().filter(organizations=obj)


class OrganizationAtomFeed(OrganizationFeed):
    feed_type = AtomWithContent
    url_name = "feeds:organization_atom"


class AuthorFeed(LatestArticlesFeed):
    """One author's latest articles."""

    url_name = "feeds:author_rss"

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.display_name}"

    def description(self, obj=None):
        return f"The latest articles by {obj.display_name}."

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def articles(self, obj):
        return Article.objects.published().filter(authors=obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = AtomWithContent
    url_name = "feeds:author_atom"


app_name = "feeds"

urlpatterns = [
    path("articles.rss", LatestArticlesFeed(), name="articles_rss"),
    path("articles.atom", LatestArticlesAtomFeed(), name="articles_atom"),
    path("topics/<slug:slug>.rss", TopicFeed(), name="topic_rss"),
    path("topics/<slug:slug>.atom", TopicAtomFeed(), name="topic_atom"),
    path("organizations/<slug:slug>.rss", OrganizationFeed(), name="organization_rss"),
    path("organizations/<slug:slug>.atom", OrganizationAtomFeed(), name="organization_atom"),
    path("authors/<slug:slug>.rss", AuthorFeed(), name="author_rss"),
    path("authors/<slug:slug>.atom", AuthorAtomFeed(), name="author_atom"),
]
