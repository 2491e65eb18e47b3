"""API viewsets of articles, topics and sources.

Readers see articles only through ``Article.objects.visible_to(user)``: the published
ones, and for writers and editors (who see articles in the admin) also drafts, articles
in review and scheduled ones, so their tools can work on them.
"""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from lenrnews.models import touch
from lenrnews.openapi import ErrorSerializer
from lenrnews.rest import ID_PATTERN, APIViewSet

from .filters import ArticleFilter, SourceFilter, TopicFilter
from .mentions import CANDIDATE_FIELDS, article_add_mention, article_detect_mentions, article_reject_mention
from .models import AmbiguousMention, Article, Source, Topic, can_read_unpublished
from .serializers import (
    PUBLISH_REFUSED,
    ArticleMentionsSerializer,
    ArticleSerializer,
    MentionActionSerializer,
    SourceSerializer,
    TopicSerializer,
)
from .services import article_announce_step, can_publish

MENTION_WRITE_PERMISSION = "articles.change_article"


class CanCorrectMentions(permissions.BasePermission):
    """Writers and editors read an article's mention state; correcting it takes the article change permission."""

    def has_permission(self, request, view):
        user = request.user
        if request.method in permissions.SAFE_METHODS:
            return can_read_unpublished(user)
        return bool(user and user.is_authenticated and user.has_perm(MENTION_WRITE_PERMISSION))


class ArticleViewSet(APIViewSet):
    """Our articles. Anonymous readers see published ones only; filters are the articles page's."""

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    # An article becomes public at its publish_at, without being saved.
    updated_since_fields = ("updated_at", "publish_at")

    def get_base_queryset(self):
        return (
            Article.objects.with_bylines()
            .prefetch_related(
                "topics",
                "organizations",
                "people",
                "technologies",
                Prefetch("sources", queryset=Source.objects.select_related("via__via__via__via")),
                "corrections",
                "authors",
                "investment_claims",
                "event_claims",
            )
            .order_by("-publish_at", "-pk")
        )

    def get_queryset(self):
        if self.action == "mentions":
            return self.get_mentions_queryset().visible_to(self.request.user)
        return self.get_base_queryset().visible_to(self.request.user)

    def get_mentions_queryset(self):
        return Article.objects.prefetch_related(
            "organizationmention_set__organization",
            "personmention_set__person",
            "technologymention_set__technology",
            Prefetch(
                "ambiguous_mentions", queryset=AmbiguousMention.objects.prefetch_related(*CANDIDATE_FIELDS.values())
            ),
            "rejected_organizations",
            "rejected_people",
            "rejected_technologies",
        )

    def get_create_kwargs(self):
        return {"author": self.request.user}

    def perform_update(self, serializer):
        self.old_status = serializer.instance.status  # as stored: the serializer has not saved yet
        super().perform_update(serializer)

    def after_save(self, instance, created):
        article_detect_mentions(article=instance)
        old_status = None if created else self.old_status
        article_announce_step(article=instance, old_status=old_status, user=self.request.user)

    @extend_schema(
        methods=["GET"],
        summary="An article's mentions: linked, ambiguous, rejected",
        description="For writers and editors. Ambiguous names are not linked on the public page until an editor "
        "confirms one of their candidates.",
        responses={
            200: ArticleMentionsSerializer,
            401: OpenApiResponse(ErrorSerializer, description="No credentials, or a wrong token."),
            403: OpenApiResponse(ErrorSerializer, description="Not a writer or an editor."),
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Confirm or reject one of an article's mentions",
        description="`confirm` keeps the entity as a mention whatever detection finds (and resolves an ambiguous "
        "name it is a candidate of); `reject` removes it and keeps detection from bringing it back. Mentions are "
        "then detected again. Needs the article change permission. Answers with the mentions as they stand.",
        request=MentionActionSerializer,
        responses={200: ArticleMentionsSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[CanCorrectMentions],
        filter_backends=[],
        pagination_class=None,
        serializer_class=ArticleMentionsSerializer,
    )
    def mentions(self, request, slug=None):
        article = self.get_object()
        if request.method == "POST":
            correction = MentionActionSerializer(data=request.data)
            correction.is_valid(raise_exception=True)
            correct = (
                article_add_mention if correction.validated_data["action"] == "confirm" else article_reject_mention
            )
            with transaction.atomic():
                correct(article=article, entity=correction.validated_data["entity"])
                article_detect_mentions(article=article)
                touch(Article, [article.pk])  # its mentions are part of what it reads as
            article = self.get_object()
        return Response(ArticleMentionsSerializer(article, context=self.get_serializer_context()).data)

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
        return Source.objects.select_related(
            "publisher_organization", "speaker_organization", "speaker_person", "via__via__via__via"
        ).order_by("-published_on", "title", "pk")
