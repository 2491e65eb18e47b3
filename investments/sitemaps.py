from lenrnews.sitemaps import SiteSitemap

from .models import Event, Investment


class InvestmentSitemap(SiteSitemap):
    def items(self):
        return Investment.objects.only("slug", "updated_at").order_by("-announced_on", "-id")


class EventSitemap(SiteSitemap):
    def items(self):
        return Event.objects.only("slug", "updated_at").order_by("-occurred_on", "-id")
