"""The sitemap building block: absolute URLs from ``SITE_URL``, pages of 5,000 URLs.

Each app's ``sitemaps.py`` lists its public pages; ``portal.views.sitemap_index``
lists every page of every section.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max


class SiteSitemap(Sitemap):
    limit = 5000
    lastmod_field = "updated_at"

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        return getattr(item, self.lastmod_field)

    def get_latest_lastmod(self):
        """One aggregate query, not a walk over every item."""
        return self.items().order_by().aggregate(latest=Max(self.lastmod_field))["latest"]
