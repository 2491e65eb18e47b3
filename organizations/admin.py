"""The editors' admin for organizations, people, their roles, technologies and stakes."""

from django.contrib import admin
from django.db.models import Prefetch
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from .models import Affiliation, Organization, Person, Technology, TechnologyStake

CLAIM_DESCRIPTION = (
    "Every claim says how sure we are and where it came from: cite the external reports it rests on "
    "(sources) and our own articles that report it."
)
PROVENANCE_FIELDS = ["confidence", ("sources", "reported_in"), "notes"]


class AffiliationInline(admin.StackedInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person", "organization", "sources", "reported_in"]
    when_fields = [("start", "start_precision"), ("end", "end_precision")]

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


class TechnologyStakeInline(admin.StackedInline):
    model = TechnologyStake
    extra = 0
    autocomplete_fields = ["organization", "technology", "investment", "sources", "reported_in"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "technology", "investment")


class OrganizationStakeInline(TechnologyStakeInline):
    """The organization's technology portfolio, on the organization's page."""

    verbose_name_plural = "technology portfolio (stakes)"
    fields = [("technology", "kind"), ("since", "since_precision"), "investment", *PROVENANCE_FIELDS]


class TechnologyHolderInline(TechnologyStakeInline):
    """Who holds a stake in a technology, on the technology's page."""

    verbose_name_plural = "holders (stakes)"
    fields = [("organization", "kind"), ("since", "since_precision"), "investment", *PROVENANCE_FIELDS]


class InvestmentStakeInline(TechnologyStakeInline):
    """The stakes a deal created, on the deal's page."""

    verbose_name_plural = "stakes this deal created"
    fields = [("organization", "technology", "kind"), ("since", "since_precision"), *PROVENANCE_FIELDS]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "city", "founded", "dissolved", "parent_name", "deal_count"]
    list_filter = ["kind", ("country", CountryFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "aliases", "city", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [OrganizationAffiliationInline, OrganizationStakeInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "aliases", "kind", "parent"]}),
        ("Where and when", {"fields": [("country", "city"), ("founded", "dissolved"), "website"]}),
        ("Profile", {"fields": ["summary", "description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_deal_stats()

    @admin.display(description="subsidiary of", ordering="parent__name")
    def parent_name(self, organization):
        return organization.parent.name if organization.parent_id else ""

    @admin.display(description="deals", ordering="deal_count")
    def deal_count(self, organization):
        return organization.deal_count


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "roles"]
    list_filter = [("country", CountryFilter), "affiliations__role"]
    search_fields = ["name", "aliases", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonAffiliationInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "aliases"]}),
        ("Profile", {"fields": ["country", "website", "bio"]}),
    ]

    def get_queryset(self, request):
        affiliations = Affiliation.objects.select_related("organization").order_by("organization__name")
        return super().get_queryset(request).prefetch_related(Prefetch("affiliations", queryset=affiliations))

    @admin.display(description="roles")
    def roles(self, person):
        return "; ".join(f"{a.get_role_display()}, {a.organization}" for a in person.affiliations.all())


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
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
        ("When", {"fields": [("start", "start_precision"), ("end", "end_precision")]}),
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
class TechnologyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "approach", "stage", "inventor_names", "holders"]
    list_filter = ["approach", "stage"]
    search_fields = ["name", "aliases", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["inventors"]
    inlines = [TechnologyHolderInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "aliases", ("approach", "stage"), "inventors"]}),
        ("Profile", {"fields": ["summary", "description"]}),
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
class TechnologyStakeAdmin(SimpleHistoryAdmin):
    list_display = ["organization_name", "kind", "technology", "since_display", "confidence", "investment_title"]
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
        ("When", {"fields": [("since", "since_precision")]}),
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
