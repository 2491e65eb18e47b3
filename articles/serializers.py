"""API representation of articles, topics and sources."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lenrnews.markdown import render_markdown
from lenrnews.serializers import (
    CompactRelatedField,
    ModelRulesMixin,
    PublicURLField,
    SlugFromNameMixin,
    SourceRelatedField,
    ViaSerializer,
)
from organizations.models import Organization, Person, Technology

from .models import Article, Correction, Source, Topic
from .services import article_check_publishing

PUBLISH_REFUSED = "Only an editor can delete a published article: unpublishing is an editor's decision."


class TopicSerializer(SlugFromNameMixin, ModelRulesMixin, serializers.ModelSerializer):
    url = PublicURLField()
    description_html = serializers.SerializerMethodField(help_text="The description rendered and sanitized.")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url", "description", "description_html", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False}}

    def get_description_html(self, obj) -> str:
        return render_markdown(obj.description)


class SourceSerializer(ModelRulesMixin, serializers.ModelSerializer):
    publisher_organization = CompactRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The publisher, when it is in our database; written as its slug.",
    )
    via = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(),
        required=False,
        allow_null=True,
        help_text="The id of the source this one got it from.",
    )
    via_chain = serializers.SerializerMethodField(help_text="The sources it came through, earliest first.")
    chain_display = serializers.CharField(read_only=True, help_text="'Vortex-L -> E-Cat World'.")
    published_display = serializers.CharField(read_only=True, help_text="'20 Oct 2015', 'Oct 2015' or '2015'.")

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "url",
            "publisher",
            "publisher_organization",
            "published_on",
            "published_precision",
            "published_display",
            "quote",
            "attributed_to",
            "self_claim",
            "via",
            "via_chain",
            "chain_display",
            "confidence",
            "reliability",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ViaSerializer(many=True))
    def get_via_chain(self, obj):
        return [{"id": s.pk, "title": s.title, "publisher": s.publisher, "url": s.url} for s in obj.chain[:-1]]

    def validate_via(self, via):
        if via is not None and self.instance is not None and self.instance.pk in {s.pk for s in via.chain}:
            raise serializers.ValidationError("A source cannot come via itself, directly or through others.")
        return via


class CorrectionSerializer(serializers.ModelSerializer):
    text_html = serializers.CharField(read_only=True)

    class Meta:
        model = Correction
        fields = ["id", "published_on", "text", "text_html"]
        read_only_fields = fields


class ArticleSerializer(SlugFromNameMixin, ModelRulesMixin, serializers.ModelSerializer):
    """An article: Markdown ``body`` and its sanitized ``body_html``.

    Publishing (status ``published``), scheduling and unpublishing need the publish
    permission; writers save drafts and send them to review.
    """

    slug_from = "title"

    url = PublicURLField()
    author = serializers.CharField(
        source="byline_display", read_only=True, help_text="The name printed as the author (byline or account name)."
    )
    topics = CompactRelatedField(many=True, required=False, queryset=Topic.objects.all(), help_text="Slugs.")
    organizations = CompactRelatedField(
        many=True, required=False, queryset=Organization.objects.all(), help_text="Mentioned; slugs."
    )
    people = CompactRelatedField(
        many=True, required=False, queryset=Person.objects.all(), help_text="Mentioned; slugs."
    )
    technologies = CompactRelatedField(
        many=True, required=False, queryset=Technology.objects.all(), help_text="Mentioned; slugs."
    )
    sources = SourceRelatedField(
        many=True, required=False, queryset=Source.objects.all(), help_text="Written as a list of source ids."
    )
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "url",
            "standfirst",
            "body",
            "body_html",
            "author",
            "byline",
            "status",
            "publish_at",
            "topics",
            "organizations",
            "people",
            "technologies",
            "sources",
            "corrections",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["body_html"]
        extra_kwargs = {"slug": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        if request is not None:
            # The one publishing rule, shared with the admin: a 403 naming what needs an editor.
            article_check_publishing(user=request.user, before=self.instance, after=attrs)
        return attrs
