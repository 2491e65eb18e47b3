"""RSS 2.0 and Atom feeds of the latest events (lawsuits, terminations, demonstrations, deal moves).

Each entry is an event's title, its kind, date and confidence in words, and its
Markdown summary rendered and sanitized. Editors' notes are never in a feed.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html

from lenrnews.seo import absolute_url

from .models import Event

FEED_LENGTH = 30


class LatestEventsFeed(Feed):
    """The latest events recorded, most recent first (by date, then by when they were recorded)."""

    feed_type: type[feedgenerator.SyndicationFeed] = Rss201rev2Feed
    author_name = settings.SITE_NAME
    url_name = "events_rss"

    def title(self):
        return f"{settings.SITE_NAME}: latest events"

    def description(self):
        return "Lawsuits, licence terminations, demonstrations, papers, patents and deal moves in the LENR field."

    def subtitle(self):
        return self.description()

    def link(self):
        return absolute_url(reverse("investments:event_list"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def items(self):
        return Event.objects.order_by(F("occurred_on").desc(nulls_last=True), "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        when = item.date_display or "date not known"
        return format_html(
            "<p>{} · {} · {}</p>{}", item.kind_display, when, item.get_confidence_display(), item.summary_html
        )

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [item.kind_display, item.get_confidence_display()]


class LatestEventsAtomFeed(LatestEventsFeed):
    feed_type = Atom1Feed
    url_name = "events_atom"
