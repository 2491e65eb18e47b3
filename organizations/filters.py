"""FilterSets of the organization, technology and people listings (page and API).

``OrganizationFilter`` sorts and filters on deal statistics: give it organizations
annotated by ``investments.selectors.organization_deal_stats()``.
"""

import django_filters
from django_countries import countries

from lenrnews.filters import (
    BooleanFilter,
    ClaimFilter,
    CurrentFilter,
    EntityFilter,
    IntegerFilter,
    MinConfidenceFilter,
    RowFilterSet,
    SlugFilter,
    SortFilter,
    TextSearchFilter,
)
from lenrnews.lookups import NameLookupFilter, SlugsFilter

from .models import Affiliation, Organization, Person, Technology, TechnologyStake

COUNTRY_CHOICES = list(countries)


class OrganizationFilter(RowFilterSet):
    """Technology, approach, kind of stake, confidence and ``current`` all ask for one and the same stake."""

    row_filters = {"stakes": ["technology", "approach", "stake", "min_confidence", "current"]}

    q = TextSearchFilter(search_fields=["name", "aliases", "summary"])
    name = NameLookupFilter()
    alias = NameLookupFilter(alias=True)
    slug = SlugsFilter()
    kind = django_filters.MultipleChoiceFilter(choices=Organization.Kind.choices, label="Kind", distinct=False)
    country = django_filters.MultipleChoiceFilter(choices=COUNTRY_CHOICES, label="Country", distinct=False)
    technology = EntityFilter(
        field_name="technology", querysets=[Technology.objects.all()], label="Technology (name or slug)"
    )
    approach = django_filters.ChoiceFilter(
        field_name="technology__approach", choices=Technology.Approach.choices, label="Approach"
    )
    stake = django_filters.ChoiceFilter(field_name="kind", choices=TechnologyStake.Kind.choices, label="Kind of stake")
    min_confidence = MinConfidenceFilter(
        field_name="confidence",
        label="Stake at least",
        help_text="Only organizations with a stake at least this sure.",
    )
    current = CurrentFilter(
        label="Stake current or former",
        help_text="With a stake filter: current stakes (the default), former ones (false) or both (any).",
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
        fields: list[str] = []

    def filter_has_deals(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(deal_count__gt=0) if value else queryset.filter(deal_count=0)


class TechnologyFilter(RowFilterSet):
    """Holder, holder's country and ``current`` ask for one and the same stake."""

    row_filters = {"stakes": ["holder", "country", "current"]}

    q = TextSearchFilter(search_fields=["name", "aliases", "summary"])
    name = NameLookupFilter()
    alias = NameLookupFilter(alias=True)
    slug = SlugsFilter()
    approach = django_filters.MultipleChoiceFilter(
        choices=Technology.Approach.choices, label="Approach", distinct=False
    )
    stage = django_filters.MultipleChoiceFilter(choices=Technology.Stage.choices, label="Stage", distinct=False)
    holder = EntityFilter(
        field_name="organization", querysets=[Organization.objects.all()], label="Holder (name or slug)"
    )
    country = django_filters.MultipleChoiceFilter(
        field_name="organization__country", choices=COUNTRY_CHOICES, label="Holder's country"
    )
    current = CurrentFilter(
        label="Holder current or former",
        help_text="With a holder filter: current holders (the default), former ones (false) or both (any).",
    )
    ordering = SortFilter(options={"name": "name", "stage": "stage", "approach": "approach", "updated": "updated_at"})

    class Meta:
        model = Technology
        fields: list[str] = []


class PersonFilter(RowFilterSet):
    """Organization, role and ``current`` ask for one and the same role."""

    row_filters = {"affiliations": ["organization", "role", "current"]}

    q = TextSearchFilter(search_fields=["name", "aliases", "bio"])
    name = NameLookupFilter()
    alias = NameLookupFilter(alias=True)
    slug = SlugsFilter()
    organization = EntityFilter(
        field_name="organization", querysets=[Organization.objects.all()], label="Organization (name or slug)"
    )
    role = django_filters.ChoiceFilter(field_name="role", choices=Affiliation.Role.choices, label="Role")
    current = CurrentFilter(
        end_field="end",
        label="Role current or former",
        help_text="With an organization or role filter: current roles (the default), former ones (false) or both.",
    )
    country = django_filters.MultipleChoiceFilter(choices=COUNTRY_CHOICES, label="Country", distinct=False)
    ordering = SortFilter(options={"name": "name", "updated": "updated_at"})

    class Meta:
        model = Person
        fields: list[str] = []


class AffiliationFilter(ClaimFilter):
    """The API's affiliation list."""

    person = SlugFilter(field_name="person", queryset=Person.objects.all(), distinct=False, label="Person (slug)")
    organization = SlugFilter(
        field_name="organization", queryset=Organization.objects.all(), distinct=False, label="Organization (slug)"
    )
    role = django_filters.MultipleChoiceFilter(choices=Affiliation.Role.choices, label="Role", distinct=False)
    current = CurrentFilter(end_field="end", empty_label="Current and former", help_text="true, false or any.")

    class Meta:
        model = Affiliation
        fields: list[str] = []


class TechnologyStakeFilter(ClaimFilter):
    """The API's stake list: portfolios across organizations."""

    organization = SlugFilter(
        field_name="organization", queryset=Organization.objects.all(), distinct=False, label="Organization (slug)"
    )
    technology = SlugFilter(
        field_name="technology", queryset=Technology.objects.all(), distinct=False, label="Technology (slug)"
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=TechnologyStake.Kind.choices, label="Kind of stake", distinct=False
    )
    current = CurrentFilter(empty_label="Current and former", help_text="true, false or any.")

    class Meta:
        model = TechnologyStake
        fields: list[str] = []
