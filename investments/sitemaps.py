from lenrnews.sitemaps import SiteSitemap

from .models import Investment


class InvestmentSitemap(SiteSitemap):
    def items(self):
        return Investment.objects.only("slug", "updated_at").order_by("-announced_on", "-id")
