from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"

    def ready(self):
        from lenrnews.duplicates import SameName, guard_duplicates
        from lenrnews.names import track_names
        from lenrnews.slugs import track_slugs

        from .models import Organization, Person, Technology

        # Exact lookups and duplicate guards read the stored keys of names and aliases.
        track_names(Organization, Person, Technology)
        for model in (Organization, Person, Technology):
            guard_duplicates(model, SameName())
        # Old slugs redirect (301) to the current page, API resource and feeds.
        track_slugs(
            Organization,
            view_names=[
                "organizations:organization_detail",
                "api:organization-detail",
                "feeds:organization_rss",
                "feeds:organization_atom",
            ],
        )
        track_slugs(Person, view_names=["organizations:person_detail", "api:person-detail"])
        track_slugs(Technology, view_names=["organizations:technology_detail", "api:technology-detail"])
