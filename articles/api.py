"""API viewsets of articles, topics and sources.

Readers see articles only through ``Article.objects.published()``. Writers and
editors (the article change permission) also read drafts, articles in review and
scheduled ones, as in the admin, so their tools can work on them.
"""

from django.db.models import Prefetch
from rest_framework import exceptions

from lenrnews.rest import ID_PATTERN, APIViewSet, can_see_unpublished

from .filters import ArticleFilter, SourceFilter, TopicFilter
from .models import Article, Source, Topic
from .serializers import PUBLISH_REFUSED, ArticleSerializer, SourceSerializer, TopicSerializer
from .services import article_detect_mentions, can_publish


class ArticleViewSet(APIViewSet):
    """Our articles. Anonymous readers see published ones only; filters are the articles page's."""

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter

    def get_base_queryset(self):
        return (
            Article.objects.select_related("author")
            .prefetch_related(
                "topics",
                "organizations",
                "people",
                "technologies",
                Prefetch("sources", queryset=Source.objects.select_related("via__via__via__via")),
                "corrections",
            )
            .order_by("-publish_at", "-pk")
        )

    def get_queryset(self):
        queryset = self.get_base_queryset()
        return queryset if can_see_unpublished(self.request.user) else queryset.published()

    def get_create_kwargs(self):
        return {"author": self.request.user}

    def after_save(self, instance, created):
        article_detect_mentions(article=instance)

    def perform_destroy(self, instance):
        if instance.status == Article.Status.PUBLISHED and not can_publish(self.request.user):
            raise exceptions.PermissionDenied(PUBLISH_REFUSED)
        super().perform_destroy(instance)


class TopicViewSet(APIViewSet):
    """Topics articles are filed under."""

    serializer_class = TopicSerializer
    queryset = Topic.objects.order_by("name", "pk")
    filterset_class = TopicFilter


class SourceViewSet(APIViewSet):
    """External reports we cite, with who said it and the chain it reached us through."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN

    def get_base_queryset(self):
        return Source.objects.select_related("publisher_organization", "via__via__via__via").order_by(
            "-published_on", "title", "pk"
        )
