from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from lenrnews.views import SITEMAPS, HomeView, SearchView, robots_txt, sitemap_index

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", HomeView.as_view(), name="home"),
    path("api/", include(("lenrnews.api", "api"))),
    path("", include("articles.urls")),
    path("", include("organizations.urls")),
    path("", include("investments.urls")),
    path("search/", SearchView.as_view(), name="search"),
    path("feeds/", include("articles.feeds")),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
