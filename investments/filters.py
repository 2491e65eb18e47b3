"""The FilterSets of the deals and events listings (page and API)."""

import django_filters
from django.db.models import Exists, OuterRef

from lenrnews.filters import (
    ClaimFilter,
    EntityFilter,
    IntegerFilter,
    MinConfidenceFilter,
    SelfClaimFilter,
    SortFilter,
    TextSearchFilter,
)
from organizations.filters import COUNTRY_CHOICES
from organizations.models import Organization, Person, Technology

from .models import (
    Event,
    EventOrganization,
    EventPerson,
    Investment,
    InvestorOrganization,
    InvestorPerson,
    RecipientOrganization,
    RecipientPerson,
)

MAX_AMOUNT = 10**14


# A deal's or an event's party is an organization or a person.
PARTIES = [Organization.objects.all(), Person.objects.all()]


def _party_rows(organization_rows, person_rows, party):
    """``Exists`` of a party row naming ``party`` (an organization or a person)."""
    if isinstance(party, Organization):
        return Exists(organization_rows.filter(organization=party))
    return Exists(person_rows.filter(person=party))


class InvestmentFilter(ClaimFilter):
    claim_filters_after = "kind"

    q = TextSearchFilter(search_fields=["title", "summary"])
    kind = django_filters.MultipleChoiceFilter(choices=Investment.Kind.choices, label="Kind", distinct=False)
    min_confidence = MinConfidenceFilter(help_text="This level of confidence or surer (confirmed is surest).")
    self_claim = SelfClaimFilter(
        help_text="Yes: deals resting on a party's own claim. No: deals with at least one independent source."
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
    investor = EntityFilter(method="filter_investor", querysets=PARTIES, label="Investor (name or slug)")
    recipient = EntityFilter(method="filter_recipient", querysets=PARTIES, label="Recipient (name or slug)")
    status = django_filters.MultipleChoiceFilter(
        choices=Investment.Status.choices,
        label="Status",
        distinct=False,
        help_text="The state set by the deal's latest move that is at least reported.",
    )
    active_in = IntegerFilter(
        method="filter_active_in",
        min_value=1000,
        max_value=9999,
        label="Active in year",
        help_text="Announced by the end of that year and not terminated or lapsed before it began.",
    )
    technology = EntityFilter(
        field_name="technologies", querysets=[Technology.objects.all()], label="Technology (name or slug)"
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
        fields: list[str] = []

    def filter_investor(self, queryset, name, value):
        deal = OuterRef("pk")
        rows = _party_rows(
            InvestorOrganization.objects.filter(investment=deal), InvestorPerson.objects.filter(investment=deal), value
        )
        return queryset.filter(rows)

    def filter_recipient(self, queryset, name, value):
        deal = OuterRef("pk")
        rows = _party_rows(
            RecipientOrganization.objects.filter(investment=deal),
            RecipientPerson.objects.filter(investment=deal),
            value,
        )
        return queryset.filter(rows)

    def filter_active_in(self, queryset, name, value):
        return queryset.filter(announced_on__year__lte=value).exclude(ended_on__year__lt=value)

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(InvestorOrganization.objects.filter(investment=OuterRef("pk"), organization__country__in=value))
            | Exists(RecipientOrganization.objects.filter(investment=OuterRef("pk"), organization__country__in=value))
        )


class EventFilter(ClaimFilter):
    """The events listing (page and API). ``party`` and ``role`` ask for one and the same party."""

    claim_filters_after = "kind"

    q = TextSearchFilter(search_fields=["title", "summary"])
    kind = django_filters.MultipleChoiceFilter(choices=Event.Kind.choices, label="Kind", distinct=False)
    min_confidence = MinConfidenceFilter(help_text="This level of confidence or surer (confirmed is surest).")
    self_claim = SelfClaimFilter(
        help_text="Yes: events resting on a party's own word. No: events with at least one independent source."
    )
    year_min = IntegerFilter(
        field_name="occurred_on__year", lookup_expr="gte", min_value=1000, max_value=9999, label="From year"
    )
    year_max = IntegerFilter(
        field_name="occurred_on__year", lookup_expr="lte", min_value=1000, max_value=9999, label="Until year"
    )
    party = EntityFilter(method="filter_party", querysets=PARTIES, label="Party (name or slug)")
    role = django_filters.CharFilter(
        method="filter_role", label="Party's role", max_length=60, help_text="plaintiff, defendant, author, tester..."
    )
    technology = EntityFilter(
        field_name="technologies", querysets=[Technology.objects.all()], label="Technology (name or slug)"
    )
    deal = django_filters.ModelChoiceFilter(
        field_name="investments",
        queryset=Investment.objects.all(),
        to_field_name="slug",
        distinct=True,
        label="Deal (slug)",
    )
    ordering = SortFilter(options={"date": "occurred_on", "title": "title"})

    class Meta:
        model = Event
        fields: list[str] = []

    def _party_rows(self, **conditions):
        """Party rows meeting every condition given, together with the role filter (one and the same row)."""
        role = (self.form.cleaned_data.get("role") or "").strip()
        party = self.form.cleaned_data.get("party")
        organizations = EventOrganization.objects.filter(event=OuterRef("pk"))
        people = EventPerson.objects.filter(event=OuterRef("pk"))
        if role:
            organizations = organizations.filter(role__iexact=role)
            people = people.filter(role__iexact=role)
        if party:
            return _party_rows(organizations, people, party)
        return Exists(organizations) | Exists(people)

    def filter_party(self, queryset, name, value):
        return queryset.filter(self._party_rows())

    def filter_role(self, queryset, name, value):
        if not value or not value.strip() or self.form.cleaned_data.get("party"):
            return queryset  # with a party, filter_party asks for both on one row
        return queryset.filter(self._party_rows())
