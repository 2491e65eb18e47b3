"""FilterSets of the organization, technology and people listings (page and API).

``OrganizationFilter`` sorts and filters on deal statistics: give it
``Organization.objects.with_deal_stats()``.
"""

import django_filters
from django_countries import countries

from lenrnews.filters import BooleanFilter, IntegerFilter, SlugFilter, SortFilter, TextSearchFilter
from lenrnews.models import Confidence

from .models import Affiliation, Organization, Person, Technology, TechnologyStake

COUNTRY_CHOICES = list(countries)


def filter_self_claim(queryset, value):
    """Claims with a self-claim source (True) or with an independent one (False)."""
    if value is None:
        return queryset
    return queryset.filter(sources__self_claim=value).distinct()


class OrganizationFilter(django_filters.FilterSet):
    q = TextSearchFilter(search_fields=["name", "aliases", "summary"])
    kind = django_filters.MultipleChoiceFilter(choices=Organization.Kind.choices, label="Kind")
    country = django_filters.MultipleChoiceFilter(choices=COUNTRY_CHOICES, label="Country")
    technology = SlugFilter(
        field_name="stakes__technology", queryset=Technology.objects.all(), label="Technology (slug)"
    )
    approach = django_filters.ChoiceFilter(
        field_name="stakes__technology__approach", choices=Technology.Approach.choices, distinct=True, label="Approach"
    )
    stake = django_filters.ChoiceFilter(
        field_name="stakes__kind", choices=TechnologyStake.Kind.choices, distinct=True, label="Kind of stake"
    )
    min_confidence = django_filters.ChoiceFilter(
        choices=Confidence.choices,
        method="filter_min_confidence",
        label="Stake at least",
        help_text="Only organizations with a stake at least this sure.",
    )
    has_deals = BooleanFilter(method="filter_has_deals", label="Has deals")
    founded_min = IntegerFilter(
        field_name="founded", lookup_expr="gte", min_value=0, max_value=9999, label="Founded from"
    )
    founded_max = IntegerFilter(
        field_name="founded", lookup_expr="lte", min_value=0, max_value=9999, label="Founded until"
    )
    ordering = SortFilter(
        options={
            "name": "name",
            "founded": "founded",
            "latest_deal": "latest_deal_on",
            "total_raised": "total_raised_usd",
        },
        labels={"total_raised": "total raised (USD)"},
    )

    class Meta:
        model = Organization
        fields = []

    def filter_has_deals(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(deal_count__gt=0) if value else queryset.filter(deal_count=0)

    def filter_min_confidence(self, queryset, name, value):
        return queryset.filter(stakes__confidence__in=Confidence.at_least(value)).distinct()


class TechnologyFilter(django_filters.FilterSet):
    q = TextSearchFilter(search_fields=["name", "aliases", "summary"])
    approach = django_filters.MultipleChoiceFilter(choices=Technology.Approach.choices, label="Approach")
    stage = django_filters.MultipleChoiceFilter(choices=Technology.Stage.choices, label="Stage")
    holder = SlugFilter(field_name="stakes__organization", queryset=Organization.objects.all(), label="Holder (slug)")
    country = django_filters.MultipleChoiceFilter(
        field_name="stakes__organization__country", choices=COUNTRY_CHOICES, distinct=True, label="Holder's country"
    )
    ordering = SortFilter(options={"name": "name", "stage": "stage", "approach": "approach", "updated": "updated_at"})

    class Meta:
        model = Technology
        fields = []


class PersonFilter(django_filters.FilterSet):
    q = TextSearchFilter(search_fields=["name", "aliases", "bio"])
    organization = SlugFilter(
        field_name="affiliations__organization", queryset=Organization.objects.all(), label="Organization (slug)"
    )
    role = django_filters.ChoiceFilter(
        field_name="affiliations__role", choices=Affiliation.Role.choices, distinct=True, label="Role"
    )
    country = django_filters.MultipleChoiceFilter(choices=COUNTRY_CHOICES, label="Country")
    ordering = SortFilter(options={"name": "name", "updated": "updated_at"})

    class Meta:
        model = Person
        fields = []


class AffiliationFilter(django_filters.FilterSet):
    """The API's affiliation list."""

    person = SlugFilter(field_name="person", queryset=Person.objects.all(), distinct=False, label="Person (slug)")
    organization = SlugFilter(
        field_name="organization", queryset=Organization.objects.all(), distinct=False, label="Organization (slug)"
    )
    role = django_filters.MultipleChoiceFilter(choices=Affiliation.Role.choices, label="Role")
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices, label="Confidence")
    min_confidence = django_filters.ChoiceFilter(
        choices=Confidence.choices, method="filter_min_confidence", label="At least"
    )
    self_claim = BooleanFilter(
        method="filter_self_claim",
        label="Self-claim sources",
        help_text="Yes: resting on a party's own claim. No: with at least one independent source.",
    )

    class Meta:
        model = Affiliation
        fields = []

    def filter_min_confidence(self, queryset, name, value):
        return queryset.filter(confidence__in=Confidence.at_least(value))

    def filter_self_claim(self, queryset, name, value):
        return filter_self_claim(queryset, value)


class TechnologyStakeFilter(django_filters.FilterSet):
    """The API's stake list: portfolios across organizations."""

    organization = SlugFilter(
        field_name="organization", queryset=Organization.objects.all(), distinct=False, label="Organization (slug)"
    )
    technology = SlugFilter(
        field_name="technology", queryset=Technology.objects.all(), distinct=False, label="Technology (slug)"
    )
    kind = django_filters.MultipleChoiceFilter(choices=TechnologyStake.Kind.choices, label="Kind of stake")
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices, label="Confidence")
    min_confidence = django_filters.ChoiceFilter(
        choices=Confidence.choices, method="filter_min_confidence", label="At least"
    )
    self_claim = BooleanFilter(
        method="filter_self_claim",
        label="Self-claim sources",
        help_text="Yes: resting on a party's own claim. No: with at least one independent source.",
    )

    class Meta:
        model = TechnologyStake
        fields = []

    def filter_min_confidence(self, queryset, name, value):
        return queryset.filter(confidence__in=Confidence.at_least(value))

    def filter_self_claim(self, queryset, name, value):
        return filter_self_claim(queryset, value)
