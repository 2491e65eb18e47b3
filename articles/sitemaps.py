from django.db.models.functions import Greatest

from lenrnews.sitemaps import SiteSitemap

from .models import Article, Topic


class ArticleSitemap(SiteSitemap):
    """Published articles only; an article edited before it appeared counts from its publication."""

    changefreq = "weekly"
    priority = 0.8
    lastmod_field = "last_modified"

    def items(self):
        return (
            Article.objects.published()
            .annotate(last_modified=Greatest("updated_at", "publish_at"))
            .only("slug", "updated_at", "publish_at")
            .order_by("-publish_at", "-id")
        )


class TopicSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.only("slug", "updated_at").order_by("name", "id")
