"""API viewset of deals."""

from lenrnews.rest import APIViewSet
from organizations.api import claim_prefetches

from .filters import InvestmentFilter
from .models import Investment
from .serializers import InvestmentSerializer


class InvestmentViewSet(APIViewSet):
    """Deals: money, rights and agreements between organizations and people, with the deals page's filters."""

    serializer_class = InvestmentSerializer
    filterset_class = InvestmentFilter

    def get_base_queryset(self):
        return (
            Investment.objects.select_related("recipient")
            .prefetch_related("investors", "investor_people", "technologies", *claim_prefetches(self.request))
            .order_by("-announced_on", "-pk")
        )
