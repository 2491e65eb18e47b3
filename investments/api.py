"""API viewsets of deals and events."""

from django.db.models import F, Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lenrnews.rest import APIViewSet
from organizations.api import claim_prefetches

from .filters import EventFilter, InvestmentFilter
from .models import Event, Investment
from .selectors import (
    COUNTED,
    DEAL_CARD_PREFETCHES,
    PARTY_ROW_PREFETCHES,
    SUMMARY_GROUPS,
    deal_summary,
    deal_totals,
    totals_of,
)
from .serializers import DealSummarySerializer, EventSerializer, InvestmentSerializer


def totals_payload(totals):
    """The list's ``totals`` object: counted USD, its levels, whether approximate, the other levels apart."""
    return {
        "counted_usd": totals["counted"],
        "counted_levels": list(COUNTED),
        "approximate": totals["approximate"],
        "apart": {level: total for level, _, total in totals["apart"]},
    }


class InvestmentViewSet(APIViewSet):
    """Deals: money, rights and agreements between organizations and people, with the deals page's filters.

    A list also carries ``totals``, the figures the deals page shows for the same filters:
    ``counted_usd`` (confirmed and reported deals with a known amount), ``approximate``
    (some counted amounts were converted from other currencies) and ``apart`` (the USD
    total of each other level of confidence, never added in).
    """

    serializer_class = InvestmentSerializer
    filterset_class = InvestmentFilter

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if isinstance(getattr(response, "data", None), dict):
            totals = totals_payload(deal_totals(self.filter_queryset(self.get_queryset())))
            response.data["totals"] = {
                **totals,
                "counted_usd": None if totals["counted_usd"] is None else f"{totals['counted_usd']:.2f}",
                "apart": {level: f"{total:.2f}" for level, total in totals["apart"].items()},
            }
        return response

    def accepted_query_parameters(self):
        names = super().accepted_query_parameters()
        if self.action == "summary":
            # The listing's filters, and how to group.
            names |= set(self.filterset_class.base_filters) | {"group_by"}
        return names

    @extend_schema(
        summary="Deal figures grouped by year, kind, country or confidence",
        description="The figures the money charts draw, for the deals the list's filters select (the same "
        "parameters). Each group gives its deal count, ``total_usd`` (confirmed and reported deals with a known "
        "amount), ``apart`` (the USD of each other level, never added in) and every level's figures. Grouped by "
        "country, a deal counts once under each country of its organizations (investors and recipients), so the "
        "groups may add up to more than ``totals``. A ``group_by`` that is not one of the four is a 400.",
        parameters=[
            OpenApiParameter(
                "group_by", str, enum=[*SUMMARY_GROUPS], default="year", description="How to group the deals."
            )
        ],
        filters=True,
        responses=DealSummarySerializer,
    )
    @action(detail=False, methods=["get"], url_path="summary", pagination_class=None)
    def summary(self, request):
        values = request.query_params.getlist("group_by") or ["year"]
        if len(values) != 1 or values[0] not in SUMMARY_GROUPS:
            raise ValidationError({"group_by": [f"Choose one of: {', '.join(SUMMARY_GROUPS)}."]})
        group_by = values[0]
        deals = self.filter_queryset(Investment.objects.all())
        groups = deal_summary(deals, group_by)
        payload = {
            "group_by": group_by,
            "counted_levels": list(COUNTED),
            "groups": groups,
            # Grouped by country a deal may count in several groups: the totals are counted apart.
            "totals": totals_payload(deal_totals(deals) if group_by == "country" else totals_of(groups)),
        }
        return Response(DealSummarySerializer(payload).data)

    def get_base_queryset(self):
        return (
            Investment.objects.select_related("status_event")
            .prefetch_related(
                *DEAL_CARD_PREFETCHES,
                *PARTY_ROW_PREFETCHES,
                Prefetch(
                    "events", queryset=Event.objects.filter(kind=Event.Kind.DEAL_STATUS).order_by("occurred_on", "pk")
                ),
                *claim_prefetches(self.request),
            )
            .order_by("-announced_on", "-pk")
        )


class EventViewSet(APIViewSet):
    """Events: lawsuits, terminations, demonstrations, papers, patents, statements, and deal status moves,
    with the events page's filters."""

    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_base_queryset(self):
        return Event.objects.prefetch_related(
            "eventorganization_set__organization",
            "eventperson_set__person",
            "organizations",
            "people",
            "investments",
            "technologies",
            *claim_prefetches(self.request),
        ).order_by(F("occurred_on").desc(nulls_last=True), "-pk")
