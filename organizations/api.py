"""API viewsets of organizations, people, affiliations, technologies and stakes."""

from django.apps import apps
from django.db.models import Prefetch

from lenrnews.rest import ID_PATTERN, APIViewSet

from .filters import AffiliationFilter, OrganizationFilter, PersonFilter, TechnologyFilter, TechnologyStakeFilter
from .models import (
    Affiliation,
    Organization,
    OrganizationCitation,
    Person,
    PersonCitation,
    Technology,
    TechnologyCitation,
    TechnologyStake,
)
from .serializers import (
    AffiliationSerializer,
    OrganizationSerializer,
    PersonSerializer,
    TechnologySerializer,
    TechnologyStakeSerializer,
)


def claim_prefetches(request):
    """Sources with the chain they came through, and only the articles the caller may read."""
    article = apps.get_model("articles", "Article")
    source = apps.get_model("articles", "Source")
    return [
        Prefetch("sources", queryset=source.objects.select_related("via__via__via__via")),
        Prefetch("reported_in", queryset=article.objects.visible_to(request.user)),
    ]


def citation_prefetch(citation_model):
    """A profile's citations, each with its source and the chain it came through."""
    return Prefetch("citations", queryset=citation_model.objects.select_related("source__via__via__via__via"))


class OrganizationViewSet(APIViewSet):
    """Organizations: companies, investors, labs, governments, media, technology parks.

    Filters are the organizations page's; deal statistics (``deal_count``,
    ``total_raised_usd``...) are computed per organization.
    """

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_base_queryset(self):
        from investments.selectors import organization_deal_stats  # the app above: imported lazily

        return (
            organization_deal_stats(Organization.objects.select_related("parent"))
            .prefetch_related(citation_prefetch(OrganizationCitation))
            .order_by("name", "pk")
        )


class PersonViewSet(APIViewSet):
    """People and their roles at organizations."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_base_queryset(self):
        affiliations = Affiliation.objects.select_related("organization").order_by("organization__name", "pk")
        return Person.objects.prefetch_related(
            Prefetch("affiliations", queryset=affiliations), citation_prefetch(PersonCitation)
        ).order_by("name", "pk")


class AffiliationViewSet(APIViewSet):
    """A person's role at an organization: a claim with confidence and sources."""

    serializer_class = AffiliationSerializer
    filterset_class = AffiliationFilter
    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN

    def get_base_queryset(self):
        return (
            Affiliation.objects.select_related("person", "organization")
            .prefetch_related(*claim_prefetches(self.request))
            .order_by("person__name", "organization__name", "pk")
        )


class TechnologyViewSet(APIViewSet):
    """Technologies, their approach, stage and inventors."""

    serializer_class = TechnologySerializer
    filterset_class = TechnologyFilter

    def get_base_queryset(self):
        return Technology.objects.prefetch_related("inventors", citation_prefetch(TechnologyCitation)).order_by(
            "name", "pk"
        )


class TechnologyStakeViewSet(APIViewSet):
    """An organization's stake in a technology (its portfolio): a claim with confidence and sources."""

    serializer_class = TechnologyStakeSerializer
    filterset_class = TechnologyStakeFilter
    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN

    def get_base_queryset(self):
        return (
            TechnologyStake.objects.select_related("organization", "technology", "investment")
            .prefetch_related(*claim_prefetches(self.request))
            .order_by("organization__name", "technology__name", "pk")
        )
