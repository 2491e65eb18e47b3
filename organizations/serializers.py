"""API representation of organizations, people, affiliations, technologies and stakes."""

from django.apps import apps
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from lenrnews.markdown import render_markdown
from lenrnews.serializers import (
    AliasesField,
    CompactRelatedField,
    ModelRulesMixin,
    PublicURLField,
    SlugFromNameMixin,
    SourceRelatedField,
    visible_articles_field,
)

from .models import Affiliation, Organization, Person, Technology, TechnologyStake

YEAR_LIMITS = {"min_value": 0, "max_value": 9999}


def _article_queryset():
    # Lazy lookup: articles depends on organizations, not the other way round.
    return apps.get_model("articles", "Article").objects.all()


def _source_queryset():
    return apps.get_model("articles", "Source").objects.all()


class ClaimSerializer(ModelRulesMixin, serializers.ModelSerializer):
    """What every claim carries: how sure we are and where it came from."""

    sources = SourceRelatedField(
        many=True, required=False, queryset=_source_queryset(), help_text="Written as a list of source ids."
    )
    reported_in = visible_articles_field(_article_queryset(), help_text="Our articles; written as a list of slugs.")

    claim_fields = ["confidence", "sources", "reported_in", "notes"]


class OrganizationSerializer(SlugFromNameMixin, ModelRulesMixin, serializers.ModelSerializer):
    url = PublicURLField()
    country = CountryField(required=False, allow_blank=True, help_text="ISO 3166 alpha-2 code; empty if unknown.")
    aliases = AliasesField()
    parent = CompactRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, help_text="Written as a slug."
    )
    description_html = serializers.SerializerMethodField(help_text="The description rendered and sanitized.")
    deal_count = serializers.IntegerField(read_only=True)
    deals_made = serializers.IntegerField(read_only=True)
    deals_received = serializers.IntegerField(read_only=True)
    total_raised_usd = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, allow_null=True, help_text="The sum of deals received, USD."
    )
    latest_deal_on = serializers.DateField(read_only=True, allow_null=True)

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
            "latest_deal_on",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"slug": {"required": False}, "founded": YEAR_LIMITS, "dissolved": YEAR_LIMITS}

    def get_description_html(self, obj) -> str:
        return render_markdown(obj.description)

    def validate_parent(self, parent):
        if parent is not None and self.instance is not None and parent.pk == self.instance.pk:
            raise serializers.ValidationError("An organization cannot be its own parent.")
        return parent


class PersonAffiliationSerializer(serializers.ModelSerializer):
    """One of a person's roles, as shown with the person."""

    organization = CompactRelatedField(read_only=True)
    start_display = serializers.CharField(read_only=True)
    end_display = serializers.CharField(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["id", "organization", "role", "title", "start_display", "end_display", "confidence"]
        read_only_fields = fields


class PersonSerializer(SlugFromNameMixin, ModelRulesMixin, serializers.ModelSerializer):
    url = PublicURLField()
    country = CountryField(required=False, allow_blank=True, help_text="ISO 3166 alpha-2 code; empty if unknown.")
    aliases = AliasesField()
    bio_html = serializers.SerializerMethodField(help_text="The bio rendered and sanitized.")
    affiliations = PersonAffiliationSerializer(
        many=True, read_only=True, help_text="Roles at organizations; change them at /api/v1/affiliations/."
    )

    class Meta:
        model = Person
        fields = [
            "slug",
            "name",
            "url",
            "aliases",
            "country",
            "bio",
            "bio_html",
            "website",
            "affiliations",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"slug": {"required": False}}

    def get_bio_html(self, obj) -> str:
        return render_markdown(obj.bio)


class AffiliationSerializer(ClaimSerializer):
    person = CompactRelatedField(queryset=Person.objects.all(), help_text="Written as a slug.")
    organization = CompactRelatedField(queryset=Organization.objects.all(), help_text="Written as a slug.")
    start_display = serializers.CharField(read_only=True, help_text="'20 Oct 2015', 'Oct 2015' or '2015'.")
    end_display = serializers.CharField(read_only=True)

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
            "end_display",
            *ClaimSerializer.claim_fields,
            "created_at",
            "updated_at",
        ]


class TechnologySerializer(SlugFromNameMixin, ModelRulesMixin, serializers.ModelSerializer):
    url = PublicURLField()
    aliases = AliasesField()
    inventors = CompactRelatedField(
        many=True, required=False, queryset=Person.objects.all(), help_text="Written as a list of slugs."
    )
    description_html = serializers.SerializerMethodField(help_text="The description rendered and sanitized.")

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
            "investment",
            *ClaimSerializer.claim_fields,
            "created_at",
            "updated_at",
        ]
