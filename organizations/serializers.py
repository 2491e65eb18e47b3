"""API representation of organizations, people, affiliations, technologies and stakes."""

from django.apps import apps
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lenrnews.duplicates import RefuseDuplicatesMixin
from lenrnews.markdown import render_markdown
from lenrnews.serializers import (
    AliasesField,
    APIModelSerializer,
    CompactRelatedField,
    CompactSourceSerializer,
    ModelRulesMixin,
    PrivateNotesMixin,
    PublicURLField,
    SlugFromNameMixin,
    SourceRelatedField,
    compact_source,
    visible_articles_field,
)

from .models import Affiliation, Organization, Person, Technology, TechnologyStake

YEAR_LIMITS = {"min_value": 0, "max_value": 9999}


def _article_queryset():
    # Lazy lookup: articles depends on organizations, not the other way round.
    return apps.get_model("articles", "Article").objects.all()


def _source_queryset():
    return apps.get_model("articles", "Source").objects.all()


class ClaimSerializer(PrivateNotesMixin, ModelRulesMixin, APIModelSerializer):
    """What every claim carries: how sure we are and where it came from."""

    sources = SourceRelatedField(
        many=True, required=False, queryset=_source_queryset(), help_text="Written as a list of source ids."
    )
    reported_in = visible_articles_field(_article_queryset(), help_text="Our articles; written as a list of slugs.")

    claim_fields = ["confidence", "sources", "reported_in", "notes"]


@extend_schema_field(CompactSourceSerializer)
class CitedSourceField(serializers.Field):
    """The source of a profile citation, as compact as a claim's; a self-claim when the subject speaks in it."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return compact_source(value.source, self.context.get("request"), value)


class ProfileCitationSerializer(serializers.Serializer):
    """A source cited for some of a profile's facts."""

    source = CitedSourceField()  # type: ignore[assignment]  # a field named like DRF's Field.source
    fields = serializers.ListField(  # type: ignore[assignment]  # named like Serializer.fields, as in the model
        child=serializers.CharField(), read_only=True, help_text="The facts it supports: founded, country, stage..."
    )
    quote = serializers.CharField(read_only=True, help_text="The words the facts rest on; may be empty.")


def profile_citations_field():
    return ProfileCitationSerializer(
        many=True, read_only=True, help_text="The sources of the profile's facts, each naming the facts it supports."
    )


class OrganizationSerializer(
    RefuseDuplicatesMixin, PrivateNotesMixin, SlugFromNameMixin, ModelRulesMixin, APIModelSerializer
):
    url = PublicURLField()
    country = CountryField(required=False, allow_blank=True, help_text="ISO 3166 alpha-2 code; empty if unknown.")
    aliases = AliasesField()
    parent = CompactRelatedField(  # type: ignore[assignment]  # a field named like DRF's Field.parent
        queryset=Organization.objects.all(), required=False, allow_null=True, help_text="Written as a slug."
    )
    description_html = serializers.SerializerMethodField(help_text="The description rendered and sanitized.")
    deal_count = serializers.IntegerField(read_only=True)
    deals_made = serializers.IntegerField(read_only=True)
    deals_received = serializers.IntegerField(read_only=True)
    total_raised_usd = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="USD received in confirmed and reported deals: those it received alone, and its own part of "
        "shared ones where the sources give it. A shared deal is never added in full.",
    )
    shared_deals = serializers.IntegerField(
        read_only=True, help_text="Confirmed and reported deals it shared with other recipients, no own part known."
    )
    shared_raised_usd = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="The whole USD amount of those shared deals (not its part).",
    )
    raised_is_approximate = serializers.BooleanField(
        read_only=True, help_text="The total includes amounts converted from other currencies."
    )
    latest_deal_on = serializers.DateField(read_only=True, allow_null=True)
    citations = profile_citations_field()

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "url",
            "aliases",
            "kind",
            "country",
            "city",
            "founded",
            "dissolved",
            "website",
            "summary",
            "description",
            "description_html",
            "parent",
            "deal_count",
            "deals_made",
            "deals_received",
            "total_raised_usd",
            "shared_deals",
            "shared_raised_usd",
            "raised_is_approximate",
            "latest_deal_on",
            "citations",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"slug": {"required": False}, "founded": YEAR_LIMITS, "dissolved": YEAR_LIMITS}

    def get_description_html(self, obj) -> str:
        return render_markdown(obj.description)


class PersonAffiliationSerializer(serializers.ModelSerializer):
    """One of a person's roles, as shown with the person."""

    organization = CompactRelatedField(read_only=True)
    start_display = serializers.CharField(read_only=True)
    end_display = serializers.CharField(read_only=True)
    is_current = serializers.BooleanField(read_only=True, help_text="No end, or an end still to come.")

    class Meta:
        model = Affiliation
        fields = ["id", "organization", "role", "title", "start_display", "end_display", "is_current", "confidence"]
        read_only_fields = fields


class PersonSerializer(
    RefuseDuplicatesMixin, PrivateNotesMixin, SlugFromNameMixin, ModelRulesMixin, APIModelSerializer
):
    url = PublicURLField()
    country = CountryField(required=False, allow_blank=True, help_text="ISO 3166 alpha-2 code; empty if unknown.")
    aliases = AliasesField()
    bio_html = serializers.SerializerMethodField(help_text="The bio rendered and sanitized.")
    affiliations = PersonAffiliationSerializer(
        many=True, read_only=True, help_text="Roles at organizations; change them at /api/v1/affiliations/."
    )
    citations = profile_citations_field()

    class Meta:
        model = Person
        fields = [
            "slug",
            "name",
            "url",
            "aliases",
            "country",
            "born",
            "died",
            "bio",
            "bio_html",
            "website",
            "affiliations",
            "citations",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"slug": {"required": False}, "born": YEAR_LIMITS, "died": YEAR_LIMITS}

    def get_bio_html(self, obj) -> str:
        return render_markdown(obj.bio)


class AffiliationSerializer(ClaimSerializer):
    person = CompactRelatedField(queryset=Person.objects.all(), help_text="Written as a slug.")
    organization = CompactRelatedField(queryset=Organization.objects.all(), help_text="Written as a slug.")
    start_display = serializers.CharField(read_only=True, help_text="'20 Oct 2015', 'Oct 2015' or '2015'.")
    end_display = serializers.CharField(read_only=True)
    is_current = serializers.BooleanField(read_only=True, help_text="No end, or an end still to come.")

    class Meta:
        model = Affiliation
        fields = [
            "id",
            "person",
            "organization",
            "role",
            "title",
            "start",
            "start_precision",
            "start_display",
            "end",
            "end_precision",
            "end_unknown",
            "end_display",
            "is_current",
            *ClaimSerializer.claim_fields,
            "created_at",
            "updated_at",
        ]


class TechnologySerializer(
    RefuseDuplicatesMixin, PrivateNotesMixin, SlugFromNameMixin, ModelRulesMixin, APIModelSerializer
):
    url = PublicURLField()
    aliases = AliasesField()
    inventors = CompactRelatedField(
        many=True, required=False, queryset=Person.objects.all(), help_text="Written as a list of slugs."
    )
    description_html = serializers.SerializerMethodField(help_text="The description rendered and sanitized.")
    citations = profile_citations_field()

    class Meta:
        model = Technology
        fields = [
            "slug",
            "name",
            "url",
            "aliases",
            "approach",
            "stage",
            "inventors",
            "summary",
            "description",
            "description_html",
            "citations",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"slug": {"required": False}}

    def get_description_html(self, obj) -> str:
        return render_markdown(obj.description)


class TechnologyStakeSerializer(ClaimSerializer):
    organization = CompactRelatedField(queryset=Organization.objects.all(), help_text="Written as a slug.")
    technology = CompactRelatedField(queryset=Technology.objects.all(), help_text="Written as a slug.")
    investment = CompactRelatedField(
        queryset=apps.get_model("investments", "Investment").objects.all(),
        required=False,
        allow_null=True,
        help_text="The deal that created this stake; written as its slug.",
    )
    since_display = serializers.CharField(read_only=True, help_text="'20 Oct 2015', 'Oct 2015' or '2015'.")
    until_display = serializers.CharField(read_only=True, help_text="When it ended; empty while it lasts.")
    is_current = serializers.BooleanField(read_only=True, help_text="No end, or an end still to come.")

    class Meta:
        model = TechnologyStake
        fields = [
            "id",
            "organization",
            "technology",
            "kind",
            "since",
            "since_precision",
            "since_display",
            "until",
            "until_precision",
            "until_unknown",
            "until_display",
            "is_current",
            "investment",
            *ClaimSerializer.claim_fields,
            "created_at",
            "updated_at",
        ]
