"""API representation of deals."""

from rest_framework import serializers

from articles.models import Article, Source
from lenrnews.serializers import (
    CompactRelatedField,
    ModelRulesMixin,
    PublicURLField,
    SlugFromNameMixin,
    SourceRelatedField,
    visible_articles_field,
)
from organizations.models import Organization, Person, Technology

from .models import Investment


class InvestmentSerializer(SlugFromNameMixin, ModelRulesMixin, serializers.ModelSerializer):
    """A deal. Money is a decimal string in ``currency`` plus ``amount_usd`` (equal to it for USD deals)."""

    slug_from = "title"

    url = PublicURLField()
    investors = CompactRelatedField(
        many=True, required=False, queryset=Organization.objects.all(), help_text="Investing organizations; slugs."
    )
    investor_people = CompactRelatedField(
        many=True, required=False, queryset=Person.objects.all(), help_text="Investing people; slugs."
    )
    recipient = CompactRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="Who receives the money, rights or partnership; a slug, or null for none.",
    )
    technologies = CompactRelatedField(many=True, required=False, queryset=Technology.objects.all(), help_text="Slugs.")
    amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="In the deal's currency; null when not disclosed.",
    )
    amount_usd = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="In US dollars: set automatically for USD deals, required with an amount in another currency.",
    )
    date_display = serializers.CharField(read_only=True, help_text="'20 Oct 2015', 'Oct 2015' or '2015'.")
    sources = SourceRelatedField(
        many=True, required=False, queryset=Source.objects.all(), help_text="Written as a list of source ids."
    )
    reported_in = visible_articles_field(Article.objects.all(), help_text="Our articles; written as a list of slugs.")

    class Meta:
        model = Investment
        fields = [
            "slug",
            "title",
            "url",
            "kind",
            "investors",
            "investor_people",
            "recipient",
            "technologies",
            "amount",
            "currency",
            "amount_usd",
            "announced_on",
            "date_precision",
            "date_display",
            "confidence",
            "summary",
            "sources",
            "reported_in",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"slug": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        currency = attrs.get("currency", self.instance.currency if self.instance else "USD")
        if currency == "USD":
            # The model derives it; say so rather than silently dropping a different value.
            amount = attrs.get("amount", self.instance.amount if self.instance else None)
            if "amount_usd" in attrs and attrs["amount_usd"] != amount:
                raise serializers.ValidationError(
                    {"amount_usd": ["For a deal in USD the amount in USD is the amount."]}
                )
        return attrs
