from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from investments.feeds import LatestEventsAtomFeed, LatestEventsFeed
from portal.views import SITEMAPS, HomeView, NetworkView, SearchView, media_file, robots_txt, sitemap_index

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", HomeView.as_view(), name="home"),
    path("api/", include(("portal.api", "api"))),
    path("", include("articles.urls")),
    path("", include("organizations.urls")),
    path("", include("investments.urls")),
    path("search/", SearchView.as_view(), name="search"),
    path("network/", NetworkView.as_view(), name="network"),
    path("feeds/", include("articles.feeds")),
    path("feeds/events.rss", LatestEventsFeed(), name="events_rss"),
    path("feeds/events.atom", LatestEventsAtomFeed(), name="events_atom"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("media/<path:name>", media_file, name="media_file"),
]

# JSON under /api/, the styled pages elsewhere; a database outage is a 503 (lenrnews/errors.py).
handler400 = "lenrnews.errors.bad_request"
handler500 = "lenrnews.errors.server_error"
