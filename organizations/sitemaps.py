from lenrnews.sitemaps import SiteSitemap

from .models import Organization, Person, Technology


class OrganizationSitemap(SiteSitemap):
    def items(self):
        return Organization.objects.only("slug", "updated_at").order_by("name", "id")


class PersonSitemap(SiteSitemap):
    def items(self):
        return Person.objects.only("slug", "updated_at").order_by("name", "id")


class TechnologySitemap(SiteSitemap):
    def items(self):
        return Technology.objects.only("slug", "updated_at").order_by("name", "id")
