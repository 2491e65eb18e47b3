"""The editors' admin for organizations, people, their roles, technologies and stakes."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django_countries.filters import CountryFilter

from lenrnews.admin import DuplicateWarningAdmin, MergeAdmin, SpreadsheetImportAdmin
from lenrnews.history import HistoryAdmin
from lenrnews.partial_dates import PartialDatesAdmin

from .models import (
    CITABLE_FIELDS,
    Affiliation,
    Organization,
    OrganizationCitation,
    Person,
    PersonCitation,
    Technology,
    TechnologyCitation,
    TechnologyStake,
    uncited_facts,
)
from .resources import OrganizationResource, PersonResource, TechnologyResource

CLAIM_DESCRIPTION = (
    "Every claim says how sure we are and where it came from: cite the external reports it rests on "
    "(sources) and our own articles that report it."
)
PROVENANCE_FIELDS: list[Any] = ["confidence", ("sources", "reported_in"), "notes"]


class CitationForm(forms.ModelForm):
    """A citation's facts as check boxes of the subject's citable fields."""

    fields_cited = forms.MultipleChoiceField(label="Facts it supports", widget=forms.CheckboxSelectMultiple, choices=())

    class Meta:
        fields = ["source", "fields_cited", "quote"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self._meta.model.subject_kind
        self.fields["fields_cited"].choices = [(name, name.replace("_", " ")) for name in CITABLE_FIELDS[kind]]
        self.initial.setdefault("fields_cited", list(self.instance.fields or []))

    def clean(self):
        cleaned = super().clean()
        self.instance.fields = list(cleaned.get("fields_cited") or [])
        return cleaned


class CitationInline(admin.TabularInline):
    form = CitationForm
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "fields_cited", "quote"]
    verbose_name = "citation for a profile fact"
    verbose_name_plural = "citations: the sources of the profile facts"


class OrganizationCitationInline(CitationInline):
    model = OrganizationCitation


class PersonCitationInline(CitationInline):
    model = PersonCitation


class TechnologyCitationInline(CitationInline):
    model = TechnologyCitation


class UncitedFactsMixin:
    """A read-only line in the form naming the facts filled in that no citation supports."""

    @admin.display(description="Uncited facts")
    def uncited_facts(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        missing = uncited_facts(obj)
        return ", ".join(missing) if missing else "none: every filled-in fact has a source"


class AffiliationInline(PartialDatesAdmin, admin.StackedInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person", "organization", "sources", "reported_in"]
    when_fields: list[str | tuple[str, ...]] = [("start", "start_precision"), ("end", "end_precision", "end_unknown")]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


class PersonAffiliationInline(AffiliationInline):
    """The person's roles, on the person's page."""

    verbose_name_plural = "roles at organizations"
    fields = [("organization", "role", "title"), *AffiliationInline.when_fields, *PROVENANCE_FIELDS]


class OrganizationAffiliationInline(AffiliationInline):
    """The people in an organization, on the organization's page."""

    verbose_name_plural = "people and their roles"
    fields = [("person", "role", "title"), *AffiliationInline.when_fields, *PROVENANCE_FIELDS]


STAKE_WHEN_FIELDS: list[Any] = [("since", "since_precision"), ("until", "until_precision", "until_unknown")]


class TechnologyStakeInline(PartialDatesAdmin, admin.StackedInline):
    model = TechnologyStake
    extra = 0
    autocomplete_fields = ["organization", "technology", "investment", "sources", "reported_in"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "technology", "investment")


class OrganizationStakeInline(TechnologyStakeInline):
    """The organization's technology portfolio, on the organization's page."""

    verbose_name_plural = "technology portfolio (stakes)"
    fields = [("technology", "kind"), *STAKE_WHEN_FIELDS, "investment", *PROVENANCE_FIELDS]


class TechnologyHolderInline(TechnologyStakeInline):
    """Who holds a stake in a technology, on the technology's page."""

    verbose_name_plural = "holders (stakes)"
    fields = [("organization", "kind"), *STAKE_WHEN_FIELDS, "investment", *PROVENANCE_FIELDS]


class InvestmentStakeInline(TechnologyStakeInline):
    """The stakes a deal created, on the deal's page."""

    verbose_name_plural = "stakes this deal created"
    fields = [("organization", "technology", "kind"), *STAKE_WHEN_FIELDS, *PROVENANCE_FIELDS]


@admin.register(Organization)
class OrganizationAdmin(SpreadsheetImportAdmin, MergeAdmin, DuplicateWarningAdmin, UncitedFactsMixin, HistoryAdmin):  # type: ignore[misc]
    import_resource = OrganizationResource
    list_display = ["name", "kind", "country", "city", "founded", "dissolved", "parent_name", "deal_count"]
    list_filter = ["kind", ("country", CountryFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "aliases", "city", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "logo"]
    readonly_fields = ["uncited_facts"]
    inlines = [OrganizationCitationInline, OrganizationAffiliationInline, OrganizationStakeInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "aliases", "kind", "parent", "logo"]}),
        ("Where and when", {"fields": [("country", "city"), ("founded", "dissolved"), "website"]}),
        ("Profile", {"fields": ["summary", "description"]}),
        ("For editors", {"fields": ["uncited_facts", "notes"]}),
    ]

    def get_queryset(self, request):
        from investments.selectors import organization_deal_stats  # the app above: imported lazily

        return organization_deal_stats(super().get_queryset(request))

    @admin.display(description="subsidiary of", ordering="parent__name")
    def parent_name(self, organization):
        return organization.parent.name if organization.parent_id else ""

    @admin.display(description="deals", ordering="deal_count")
    def deal_count(self, organization):
        return organization.deal_count


@admin.register(Person)
class PersonAdmin(SpreadsheetImportAdmin, MergeAdmin, DuplicateWarningAdmin, UncitedFactsMixin, HistoryAdmin):  # type: ignore[misc]
    import_resource = PersonResource
    list_display = ["name", "country", "roles"]
    list_filter = [("country", CountryFilter), "affiliations__role"]
    autocomplete_fields = ["portrait"]
    search_fields = ["name", "aliases", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["uncited_facts"]
    inlines = [PersonCitationInline, PersonAffiliationInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "aliases"]}),
        ("Profile", {"fields": ["country", ("born", "died"), "website", "portrait", "bio"]}),
        ("For editors", {"fields": ["uncited_facts", "notes"]}),
    ]

    def get_queryset(self, request):
        affiliations = Affiliation.objects.select_related("organization").order_by("organization__name")
        return super().get_queryset(request).prefetch_related(Prefetch("affiliations", queryset=affiliations))

    @admin.display(description="roles")
    def roles(self, person):
        return "; ".join(f"{a.get_role_display()}, {a.organization}" for a in person.affiliations.all())


@admin.register(Affiliation)
class AffiliationAdmin(HistoryAdmin):
    list_display = ["person", "role", "title", "organization_name", "start_display", "end_display", "confidence"]
    list_filter = ["role", "confidence"]
    list_select_related = ["person", "organization"]
    search_fields = [
        "person__name",
        "person__aliases",
        "organization__name",
        "organization__aliases",
        "title",
    ]
    autocomplete_fields = ["person", "organization", "sources", "reported_in"]
    fieldsets = [
        (None, {"fields": ["person", "organization", "role", "title"]}),
        ("When", {"fields": [("start", "start_precision"), ("end", "end_precision", "end_unknown")]}),
        ("Provenance", {"description": CLAIM_DESCRIPTION, "fields": PROVENANCE_FIELDS}),
    ]

    @admin.display(description="organization", ordering="organization__name")
    def organization_name(self, affiliation):
        # A method, not the field: the admin never wraps foreign-key columns, and names here are long.
        return affiliation.organization.name

    @admin.display(description="from", ordering="start")
    def start_display(self, affiliation):
        return affiliation.start_display

    @admin.display(description="until", ordering="end")
    def end_display(self, affiliation):
        return affiliation.end_display


@admin.register(Technology)
class TechnologyAdmin(SpreadsheetImportAdmin, MergeAdmin, DuplicateWarningAdmin, UncitedFactsMixin, HistoryAdmin):  # type: ignore[misc]
    import_resource = TechnologyResource
    list_display = ["name", "approach", "stage", "inventor_names", "holders"]
    list_filter = ["approach", "stage"]
    search_fields = ["name", "aliases", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["inventors"]
    readonly_fields = ["uncited_facts"]
    inlines = [TechnologyCitationInline, TechnologyHolderInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "aliases", ("approach", "stage"), "inventors"]}),
        ("Profile", {"fields": ["summary", "description"]}),
        ("For editors", {"fields": ["uncited_facts", "notes"]}),
    ]

    def get_queryset(self, request):
        stakes = TechnologyStake.objects.select_related("organization").order_by("organization__name")
        return super().get_queryset(request).prefetch_related("inventors", Prefetch("stakes", queryset=stakes))

    @admin.display(description="inventors")
    def inventor_names(self, technology):
        return ", ".join(person.name for person in technology.inventors.all())

    @admin.display(description="held by")
    def holders(self, technology):
        return "; ".join(f"{stake.organization} ({stake.get_kind_display()})" for stake in technology.stakes.all())


@admin.register(TechnologyStake)
class TechnologyStakeAdmin(HistoryAdmin):
    list_display = [
        "organization_name",
        "kind",
        "technology",
        "since_display",
        "until_display",
        "confidence",
        "investment_title",
    ]
    list_filter = ["kind", "confidence", "technology__approach"]
    list_select_related = ["organization", "technology", "investment"]
    search_fields = [
        "organization__name",
        "organization__aliases",
        "technology__name",
        "technology__aliases",
    ]
    autocomplete_fields = ["organization", "technology", "investment", "sources", "reported_in"]
    fieldsets = [
        (None, {"fields": ["organization", "technology", "kind", "investment"]}),
        ("When", {"fields": STAKE_WHEN_FIELDS}),
        ("Provenance", {"description": CLAIM_DESCRIPTION, "fields": PROVENANCE_FIELDS}),
    ]

    @admin.display(description="organization", ordering="organization__name")
    def organization_name(self, stake):
        # A method, not the field: the admin never wraps foreign-key columns, and names here are long.
        return stake.organization.name

    @admin.display(description="created by deal", ordering="investment__title")
    def investment_title(self, stake):
        return stake.investment.title if stake.investment_id else ""

    @admin.display(description="since", ordering="since")
    def since_display(self, stake):
        return stake.since_display

    @admin.display(description="until", ordering="until")
    def until_display(self, stake):
        return stake.until_display or ("ended, date unknown" if stake.until_unknown else "")
