"""The one router of the REST API, mounted at /api/v1/, with the OpenAPI schema and its docs."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from articles.api import ArticleViewSet, SourceViewSet, TopicViewSet
from investments.api import EventViewSet, InvestmentViewSet
from lenrnews.api import DeletionViewSet
from lenrnews.rest import FieldSelectionViewMixin, StrictQueryMixin
from lenrnews.serializers import FieldSelectionMixin
from organizations.api import (
    AffiliationViewSet,
    OrganizationViewSet,
    PersonViewSet,
    TechnologyStakeViewSet,
    TechnologyViewSet,
)

from .connections import LINK_KINDS
from .forms import NetworkForm
from .network import MAX_CAP, NETWORK_CAP
from .views import network_for

# One named enum in the schema for the edge's kind and the record's type (settings: ENUM_NAME_OVERRIDES).
LINK_KIND_CHOICES = list(LINK_KINDS)


def _partial_date(value, precision):
    return {"date": value.isoformat() if value else None, "precision": precision if value else None}


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="'<type>/<slug>': what edges name as source and target.")
    type = serializers.ChoiceField(choices=["organization", "person", "technology"])
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(help_text="The party's public page.")
    distance = serializers.IntegerField(allow_null=True, help_text="Steps from the party asked around; null without.")


class NetworkRecordSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=LINK_KIND_CHOICES)
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="A deal's or an event's title; empty for stakes, roles, parents.")
    url = serializers.CharField(help_text="The record's page (deals and events); empty for the others.")
    # Declared fields are popped from the class by DRF's metaclass: no clash with Field's own attributes.
    label = serializers.CharField(help_text="The side, role or kind of stake.")  # type: ignore[assignment]
    confidence = serializers.CharField()
    start = serializers.JSONField(help_text='{"date": "2015-10-01", "precision": "month"}, date null when unknown.')
    end = serializers.JSONField(help_text="As start; null date: no end, or an end of unknown date (end_unknown).")
    end_unknown = serializers.BooleanField()


class NetworkEdgeSerializer(serializers.Serializer):
    source = serializers.CharField()  # type: ignore[assignment]
    target = serializers.CharField()
    kind = serializers.ChoiceField(choices=LINK_KIND_CHOICES)
    confidence = serializers.CharField(help_text="The surest confidence among its records.")
    count = serializers.IntegerField(help_text="How many records link the two this way.")
    first = serializers.DateField(allow_null=True, help_text="The earliest date among its records.")
    last = serializers.DateField(allow_null=True, help_text="The latest date (end or start) among its records.")
    records = NetworkRecordSerializer(many=True)


class NetworkSerializer(FieldSelectionMixin, serializers.Serializer):
    around = serializers.CharField(allow_null=True, help_text="The id of the party asked around; null: the field.")
    depth = serializers.IntegerField()
    cap = serializers.IntegerField(help_text="The most parties returned (max_nodes).")
    total_nodes = serializers.IntegerField(help_text="Parties found before the cap.")
    total_is_lower_bound = serializers.BooleanField(
        help_text="True when more neighbours were found than drawn: the second step went only through those drawn, "
        "so there may be more parties two steps away than total_nodes."
    )
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)


def network_payload(network):
    def node_id(key):
        party = network.names.get(key) if network.names else None
        party = party or next(p for p in network.nodes if p.key == key)
        return f"{party.type}/{party.slug}"

    names = {party.key: party for party in network.nodes}
    network.names = {**(network.names or {}), **names}
    return {
        "around": node_id(network.center.key) if network.center else None,
        "depth": network.depth,
        "cap": network.cap,
        "total_nodes": network.total_nodes,
        "total_is_lower_bound": network.total_is_lower_bound,
        "nodes": [
            {
                "id": f"{p.type}/{p.slug}",
                "type": p.type,
                "slug": p.slug,
                "name": p.name,
                "url": p.url,
                "distance": network.distance.get(p.key),
            }
            for p in network.nodes
        ],
        "edges": [
            {
                "source": node_id(edge.a),
                "target": node_id(edge.b),
                "kind": edge.kind,
                "confidence": edge.confidence,
                "count": len(edge.records),
                "first": edge.first,
                "last": edge.last,
                "records": [
                    {
                        "type": r.kind,
                        "id": r.pk,
                        "title": r.title,
                        "url": r.url,
                        "label": r.label,
                        "confidence": r.confidence,
                        "start": _partial_date(r.start, r.start_precision),
                        "end": _partial_date(r.end, r.end_precision),
                        "end_unknown": r.end_unknown,
                    }
                    for r in edge.records
                ],
            }
            for edge in network.edges
        ],
    }


class NetworkAPIView(FieldSelectionViewMixin, StrictQueryMixin, generics.GenericAPIView):
    """The graph of parties, as on /network/: nodes, and edges with their kind, confidence and dates.

    Like every endpoint, it takes ``fields``/``omit`` and refuses a parameter it doesn't know.
    """

    # A read of public records, as every resource's list is.
    permission_classes = [permissions.AllowAny]
    http_method_names = ["get", "head", "options"]
    serializer_class = NetworkSerializer
    pagination_class = None

    def accepted_query_parameters(self):
        return super().accepted_query_parameters() | set(NetworkForm.base_fields)

    @extend_schema(
        operation_id="network_retrieve",
        summary="The network of parties around one of them, or across the field",
        description="Parties (organizations, people, technologies) and the links between them: deals, stakes, "
        "roles (affiliation), events and parent organizations. Around a party, those within `depth` steps, the "
        f"strongest links kept up to `max_nodes` (default {NETWORK_CAP}); without `around`, the most connected "
        "parties. A value that does not parse, an unknown or ambiguous name, or an empty parameter is a 400.",
        parameters=[
            OpenApiParameter("around", str, description="A name, an alias or a slug; empty: the whole field."),
            OpenApiParameter("depth", int, enum=[1, 2], default=2),
            OpenApiParameter("kind", str, many=True, enum=list(LINK_KINDS), description="Kinds of link (any)."),
            OpenApiParameter("year_min", int, description="Links dated in or after this year (1000-9999)."),
            OpenApiParameter("year_max", int, description="Links dated in or before this year (1000-9999)."),
            OpenApiParameter("min_confidence", str, enum=["confirmed", "reported", "rumored", "disputed", "denied"]),
            OpenApiParameter("max_nodes", int, description=f"At most this many parties (2-{MAX_CAP})."),
        ],
        responses=NetworkSerializer,
    )
    def get(self, request):
        form = NetworkForm(request.query_params)
        empty = [name for name in form.fields if "" in request.query_params.getlist(name)]
        if empty:
            raise ValidationError({name: ["Give a value, or leave the parameter out."] for name in empty})
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        return Response(self.get_serializer(network_payload(network_for(form))).data)


router = DefaultRouter(use_regex_path=True)
router.include_format_suffixes = False
router.register("articles", ArticleViewSet, basename="article")
router.register("topics", TopicViewSet, basename="topic")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("people", PersonViewSet, basename="person")
router.register("affiliations", AffiliationViewSet, basename="affiliation")
router.register("technologies", TechnologyViewSet, basename="technology")
router.register("stakes", TechnologyStakeViewSet, basename="stake")
router.register("investments", InvestmentViewSet, basename="investment")
router.register("events", EventViewSet, basename="event")
router.register("sources", SourceViewSet, basename="source")
# Last: it lists what went away from the resources above.
router.register("deletions", DeletionViewSet.for_router(router.registry), basename="deletion")


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under /api/ is a JSON 404 too (a malformed slug or id lands here)."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("v1/network/", NetworkAPIView.as_view(), name="network"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its init script as a file of its own: no inline script for the CSP to allow.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", not_found),
]
