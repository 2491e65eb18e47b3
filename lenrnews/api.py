"""The one router of the REST API, mounted at /api/v1/, with the OpenAPI schema and its docs."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from articles.api import ArticleViewSet, SourceViewSet, TopicViewSet
from investments.api import InvestmentViewSet
from organizations.api import (
    AffiliationViewSet,
    OrganizationViewSet,
    PersonViewSet,
    TechnologyStakeViewSet,
    TechnologyViewSet,
)

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
router.register("sources", SourceViewSet, basename="source")


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under /api/ is a JSON 404 too (a malformed slug or id lands here)."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", not_found),
]
