"""The FilterSet of the deals listing (page and API)."""

import django_filters
from django import forms
from django.db.models import Q

from lenrnews.filters import BooleanFilter, IntegerFilter, SortFilter, TextSearchFilter
from lenrnews.models import Confidence
from organizations.filters import COUNTRY_CHOICES
from organizations.models import Organization, Person, Technology

from .models import Investment

MAX_AMOUNT = 10**14


class InvestmentFilterForm(forms.Form):
    def clean_investor(self):
        """An investor may be an organization or a person; an unknown slug is an error."""
        value = self.cleaned_data.get("investor")
        if value and not (
            Organization.objects.filter(slug=value).exists() or Person.objects.filter(slug=value).exists()
        ):
            raise forms.ValidationError("No organization or person has this slug.", code="invalid_choice")
        return value


class InvestmentFilter(django_filters.FilterSet):
    q = TextSearchFilter(search_fields=["title", "summary"])
    kind = django_filters.MultipleChoiceFilter(choices=Investment.Kind.choices, label="Kind")
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices, label="Confidence")
    min_confidence = django_filters.ChoiceFilter(
        choices=Confidence.choices,
        method="filter_min_confidence",
        label="At least",
        help_text="This level of confidence or surer (confirmed is surest).",
    )
    self_claim = BooleanFilter(
        method="filter_self_claim",
        label="Self-claim sources",
        help_text="Yes: deals resting on a party's own claim. No: deals with at least one independent source.",
    )
    year_min = IntegerFilter(
        field_name="announced_on__year", lookup_expr="gte", min_value=1000, max_value=9999, label="From year"
    )
    year_max = IntegerFilter(
        field_name="announced_on__year", lookup_expr="lte", min_value=1000, max_value=9999, label="Until year"
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount_usd", lookup_expr="gte", min_value=0, max_value=MAX_AMOUNT, label="Amount from (USD)"
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount_usd", lookup_expr="lte", min_value=0, max_value=MAX_AMOUNT, label="Amount up to (USD)"
    )
    investor = django_filters.CharFilter(method="filter_investor", label="Investor (slug)", max_length=200)
    recipient = django_filters.ModelChoiceFilter(
        field_name="recipient", queryset=Organization.objects.all(), to_field_name="slug", label="Recipient (slug)"
    )
    technology = django_filters.ModelChoiceFilter(
        field_name="technologies",
        queryset=Technology.objects.all(),
        to_field_name="slug",
        distinct=True,
        label="Technology (slug)",
    )
    country = django_filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, method="filter_country", label="Country (investor or recipient)"
    )
    ordering = SortFilter(
        options={"date": "announced_on", "amount": "amount_usd", "amount_usd": "amount_usd", "title": "title"},
        labels={"amount": "amount (USD)", "amount_usd": "amount in USD"},
    )

    class Meta:
        model = Investment
        fields = []
        form = InvestmentFilterForm

    def filter_min_confidence(self, queryset, name, value):
        return queryset.filter(confidence__in=Confidence.at_least(value))

    def filter_self_claim(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(sources__self_claim=value).distinct()

    def filter_investor(self, queryset, name, value):
        return queryset.filter(Q(investors__slug=value) | Q(investor_people__slug=value)).distinct()

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(investors__country__in=value) | Q(recipient__country__in=value)).distinct()
