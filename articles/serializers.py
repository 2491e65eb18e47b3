"""API representation of articles, topics and sources."""

from django.apps import apps
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from lenrnews.duplicates import RefuseDuplicatesMixin
from lenrnews.markdown import render_markdown
from lenrnews.serializers import (
    APIModelSerializer,
    CompactRelatedField,
    CompactSerializer,
    FieldSelectionMixin,
    ModelRulesMixin,
    PrivateNotesMixin,
    PublicURLField,
    SlugFromNameMixin,
    SourceRelatedField,
    ViaSerializer,
    compact,
)
from organizations.models import Organization, Person, Technology

from .mentions import CANDIDATE_FIELDS, ENTITY_MODELS, REJECTED_FIELDS, article_set_mentions
from .models import Article, Author, Correction, Source, Topic
from .services import article_check_publishing, article_send_back_errors

PUBLISH_REFUSED = "Only an editor can delete a published article: unpublishing is an editor's decision."
MENTIONS_HELP = (
    "Mentioned; slugs. Writing the list corrects detection as the admin does: one left out is removed "
    "(a detected one is rejected, so detection does not bring it back), one added is kept whatever detection finds."
)
# Article field -> kind of entity.
MENTION_FIELDS = {"organizations": "organization", "people": "person", "technologies": "technology"}


def _reportable(app_label, model_name):
    # Looked up by name: deals and events live in the app above this one.
    return apps.get_model(app_label, model_name)._default_manager.all()


class TopicSerializer(SlugFromNameMixin, ModelRulesMixin, APIModelSerializer):
    url = PublicURLField()
    description_html = serializers.SerializerMethodField(help_text="The description rendered and sanitized.")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url", "description", "description_html", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False}}

    def get_description_html(self, obj) -> str:
        return render_markdown(obj.description)


class SourceSerializer(RefuseDuplicatesMixin, PrivateNotesMixin, ModelRulesMixin, APIModelSerializer):
    publisher_organization = CompactRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The publisher, when it is in our database; written as its slug.",
    )
    speaker_organization = CompactRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The organization speaking in it; written as its slug. The source is a self-claim for the "
        "claims this organization (or the publisher) is a party of.",
    )
    speaker_person = CompactRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="The person speaking in it; written as their slug.",
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
            "kind",
            "doi",
            "quote",
            "attributed_to",
            "speaker_organization",
            "speaker_person",
            "via",
            "via_text",
            "via_chain",
            "chain_display",
            "reliability",
            "notes",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ViaSerializer(many=True))
    def get_via_chain(self, obj):
        return [{"id": s.pk, "title": s.title, "publisher": s.publisher, "url": s.url} for s in obj.chain[:-1]]


class CorrectionSerializer(serializers.ModelSerializer):
    text_html = serializers.CharField(read_only=True)

    class Meta:
        model = Correction
        fields = ["id", "published_on", "text", "text_html"]
        read_only_fields = fields


class ArticleSerializer(SlugFromNameMixin, ModelRulesMixin, APIModelSerializer):
    """An article: Markdown ``body`` and its sanitized ``body_html``.

    Publishing (status ``published``), scheduling and unpublishing need the publish
    permission; writers save drafts and send them to review. An editor sending an
    article in review back to draft gives the writer a ``review_note``.
    """

    slug_from = "title"
    # A list leaves these out unless ``fields=`` asks for them: with them, 20 articles weigh hundreds of kilobytes.
    list_omit = ("body", "body_html", "sources")

    url = PublicURLField()
    author = serializers.CharField(
        source="byline_display", read_only=True, help_text="The byline as printed: the authors' names, or the byline."
    )
    authors = CompactRelatedField(
        many=True,
        required=False,
        queryset=Author.objects.all(),
        help_text="The author profiles of the bylines, in order; written as slugs.",
    )
    topics = CompactRelatedField(many=True, required=False, queryset=Topic.objects.all(), help_text="Slugs.")
    organizations = CompactRelatedField(
        many=True, required=False, queryset=Organization.objects.all(), help_text=MENTIONS_HELP
    )
    people = CompactRelatedField(many=True, required=False, queryset=Person.objects.all(), help_text=MENTIONS_HELP)
    technologies = CompactRelatedField(
        many=True, required=False, queryset=Technology.objects.all(), help_text=MENTIONS_HELP
    )
    sources = SourceRelatedField(
        many=True, required=False, queryset=Source.objects.all(), help_text="Written as a list of source ids."
    )
    corrections = CorrectionSerializer(many=True, read_only=True)
    reports_deals = CompactRelatedField(
        source="investment_claims",
        many=True,
        required=False,
        queryset=_reportable("investments", "Investment"),
        help_text="The deals this article reports (their 'reported in'); slugs.",
    )
    reports_events = CompactRelatedField(
        source="event_claims",
        many=True,
        required=False,
        queryset=_reportable("investments", "Event"),
        help_text="The events this article reports (their 'reported in'); slugs.",
    )

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
            "authors",
            "byline",
            "status",
            "publish_at",
            "review_note",
            "topics",
            "organizations",
            "people",
            "technologies",
            "sources",
            "reports_deals",
            "reports_events",
            "corrections",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["body_html"]
        extra_kwargs = {
            # Unique among every article, those in the trash too (they keep their slugs).
            "slug": {"required": False, "validators": [UniqueValidator(queryset=Article.all_objects.all())]},
            # The editor's word to the writer, read in the admin; never part of what readers get.
            "review_note": {
                "write_only": True,
                "help_text": "Required when an editor sends an article in review back to draft: "
                "what the writer should change.",
            },
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        if request is not None:
            # The rules the admin keeps too: a 403 naming what needs an editor, a 400 for a missing note.
            article_check_publishing(user=request.user, before=self.instance, after=attrs)
            errors = article_send_back_errors(user=request.user, before=self.instance, after=attrs)
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data):
        mentions = {field: validated_data.pop(field) for field in MENTION_FIELDS if field in validated_data}
        article = super().create(validated_data)
        self._save_mentions(article, mentions)
        return article

    def update(self, instance, validated_data):
        mentions = {field: validated_data.pop(field) for field in MENTION_FIELDS if field in validated_data}
        article = super().update(instance, validated_data)
        self._save_mentions(article, mentions)
        return article

    @staticmethod
    def _save_mentions(article, mentions):
        for field, entities in mentions.items():
            article_set_mentions(article=article, kind=MENTION_FIELDS[field], entities=entities)


# --- An article's mentions as editors correct them: /articles/<slug>/mentions/ ---------


class MentionSerializer(CompactSerializer):
    detected = serializers.BooleanField(
        help_text="Found by detection; false when an editor added or confirmed it (detection then never removes it)."
    )


class EntitiesSerializer(serializers.Serializer):
    """Entities by kind, each read as ``{slug, name, url}``."""

    organizations = CompactSerializer(many=True)
    people = CompactSerializer(many=True)
    technologies = CompactSerializer(many=True)


class AmbiguousMentionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The name as the article writes it.")
    excerpt = serializers.CharField(help_text="The words around its first occurrence.")
    candidates = EntitiesSerializer(help_text="The entities it may mean: confirm one, or reject them.")


def _by_kind(pairs, request):
    """{organizations: [...], people: [...], technologies: [...]} from (kind, entity) pairs."""
    grouped = {field: [] for field in MENTION_FIELDS}
    field_of = {kind: field for field, kind in MENTION_FIELDS.items()}
    for kind, entity in pairs:
        grouped[field_of[kind]].append(compact(entity, request))
    return grouped


class ArticleMentionsSerializer(FieldSelectionMixin, serializers.Serializer):
    """Where an article's mentions stand: mentioned, waiting for an editor, rejected."""

    organizations = serializers.SerializerMethodField(help_text="The organizations the article mentions.")
    people = serializers.SerializerMethodField(help_text="The people the article mentions.")
    technologies = serializers.SerializerMethodField(help_text="The technologies the article mentions.")
    ambiguous = serializers.SerializerMethodField(
        help_text="Names several entities share, with no evidence in the text for one: not linked until an editor "
        "confirms one of the candidates."
    )
    rejected = serializers.SerializerMethodField(help_text="Entities an editor said the article does not mention.")

    def _mentioned(self, article, kind):
        request = self.context.get("request")
        return [
            {**compact(getattr(row, kind), request), "detected": row.detected}
            for row in getattr(article, f"{kind}mention_set").all()
        ]

    @extend_schema_field(MentionSerializer(many=True))
    def get_organizations(self, article):
        return self._mentioned(article, "organization")

    @extend_schema_field(MentionSerializer(many=True))
    def get_people(self, article):
        return self._mentioned(article, "person")

    @extend_schema_field(MentionSerializer(many=True))
    def get_technologies(self, article):
        return self._mentioned(article, "technology")

    @extend_schema_field(AmbiguousMentionSerializer(many=True))
    def get_ambiguous(self, article):
        request = self.context.get("request")
        return [
            {
                "name": row.name,
                "excerpt": row.excerpt,
                "candidates": _by_kind(
                    [
                        (kind, entity)
                        for kind, field in CANDIDATE_FIELDS.items()
                        for entity in getattr(row, field).all()
                    ],
                    request,
                ),
            }
            for row in article.ambiguous_mentions.all()
        ]

    @extend_schema_field(EntitiesSerializer)
    def get_rejected(self, article):
        return _by_kind(
            [(kind, entity) for kind, field in REJECTED_FIELDS.items() for entity in getattr(article, field).all()],
            self.context.get("request"),
        )


class MentionActionSerializer(serializers.Serializer):
    """An editor's correction of one mention: the action, and the entity by the slug of its kind."""

    action = serializers.ChoiceField(
        choices=[
            ("confirm", "The article mentions it: kept whatever detection finds (resolves an ambiguous name)."),
            ("reject", "The article does not mention it: removed, and detection never brings it back."),
        ]
    )
    organization = CompactRelatedField(
        queryset=Organization.objects.all(), required=False, help_text="An organization's slug."
    )
    person = CompactRelatedField(queryset=Person.objects.all(), required=False, help_text="A person's slug.")
    technology = CompactRelatedField(
        queryset=Technology.objects.all(), required=False, help_text="A technology's slug."
    )

    def validate(self, attrs):
        entities = [attrs[kind] for kind in ENTITY_MODELS if kind in attrs]
        if len(entities) != 1:
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["Name one entity: an organization, a person or a technology."]}
            )
        return {"action": attrs["action"], "entity": entities[0]}
