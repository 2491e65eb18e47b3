"""The editors' admin for deals, with their investors as inline rows."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from articles.admin import ArticleAdmin
from lenrnews.admin import (
    DuplicateWarningAdmin,
    MoveToTrashAdmin,
    RevertRestoresLinksAdmin,
    SpreadsheetImportAdmin,
    TrashAdmin,
)
from lenrnews.templatetags.lenrnews_tags import format_amount
from organizations.admin import CLAIM_DESCRIPTION, PROVENANCE_FIELDS, InvestmentStakeInline

from .models import (
    Event,
    EventOrganization,
    EventPerson,
    Investment,
    InvestmentInTrash,
    InvestorOrganization,
    InvestorPerson,
    RecipientOrganization,
    RecipientPerson,
)
from .resources import InvestmentResource


def _chosen(formset, field):
    return [
        form.cleaned_data[field]
        for form in formset.forms
        if form.cleaned_data.get(field) and not form.cleaned_data.get("DELETE")
    ]


class _PartyCheck:
    """Nobody on both sides of a deal: the four party formsets checked together."""

    def __init__(self, formsets_by_model):
        self.formsets = formsets_by_model

    def errors(self):
        def chosen(model, field):
            formset = self.formsets.get(model)
            return _chosen(formset, field) if formset is not None else []

        return Investment.party_errors(
            investors=chosen(InvestorOrganization, "organization"),
            recipients=chosen(RecipientOrganization, "organization"),
            investor_people=chosen(InvestorPerson, "person"),
            recipient_people=chosen(RecipientPerson, "person"),
        )


class PartyFormSet(BaseInlineFormSet):
    """A deal's party rows; the investor formsets refuse a party that is also a recipient."""

    party_check: _PartyCheck | None = None

    def clean(self):
        super().clean()
        if self.party_check is None or self.model not in (InvestorOrganization, InvestorPerson):
            return
        if any(not f.is_valid() for f in self.party_check.formsets.values()):
            return
        field = "investors" if self.model is InvestorOrganization else "investor_people"
        error = self.party_check.errors().get(field)
        if error:
            raise ValidationError(error)


class InvestorOrganizationInline(admin.TabularInline):
    model = InvestorOrganization
    formset = PartyFormSet
    extra = 1
    autocomplete_fields = ["organization"]
    fields = ["organization", "is_lead", "amount", "amount_usd"]
    verbose_name = "investor or party (organization)"
    verbose_name_plural = "investors and parties (organizations)"


class InvestorPersonInline(admin.TabularInline):
    model = InvestorPerson
    formset = PartyFormSet
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "is_lead", "amount", "amount_usd"]
    verbose_name = "investor or party (person)"
    verbose_name_plural = "investors and parties (people)"


class RecipientOrganizationInline(admin.TabularInline):
    model = RecipientOrganization
    formset = PartyFormSet
    extra = 1
    autocomplete_fields = ["organization"]
    fields = ["organization", "is_lead", "amount", "amount_usd"]
    verbose_name = "recipient (organization)"
    verbose_name_plural = "recipients (organizations)"


class RecipientPersonInline(admin.TabularInline):
    model = RecipientPerson
    formset = PartyFormSet
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "is_lead", "amount", "amount_usd"]
    verbose_name = "recipient (person)"
    verbose_name_plural = "recipients (people)"


class DealEventInline(admin.TabularInline):
    """The deal's lifecycle and other events, on the deal's page (each edited on its own page)."""

    model = Event.investments.through
    extra = 0
    autocomplete_fields = ["event"]
    verbose_name = "event about this deal (status moves included)"
    verbose_name_plural = "lifecycle and events"


@admin.register(Investment)
class InvestmentAdmin(SpreadsheetImportAdmin, DuplicateWarningAdmin, MoveToTrashAdmin, RevertRestoresLinksAdmin):  # type: ignore[misc]
    import_resource = InvestmentResource
    list_display = [
        "title",
        "kind",
        "investor_names",
        "recipient_names",
        "amount_display",
        "date_display",
        "status",
        "confidence",
    ]
    list_filter = ["kind", "status", "confidence", "date_precision", ("currency", admin.AllValuesFieldListFilter)]
    search_fields = [
        "title",
        "summary",
        "recipients__name",
        "recipients__aliases",
        "recipient_people__name",
        "investors__name",
        "investors__aliases",
        "investor_people__name",
        "investor_people__aliases",
    ]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "announced_on"
    autocomplete_fields = ["technologies", "sources", "reported_in"]
    readonly_fields = ["status_line"]
    inlines = [
        InvestorOrganizationInline,
        InvestorPersonInline,
        RecipientOrganizationInline,
        RecipientPersonInline,
        DealEventInline,
        InvestmentStakeInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "technologies", "status_line"]}),
        (
            "Money",
            {
                "description": "Leave the amount empty when it was not disclosed. For a deal in US dollars "
                "the amount in USD is filled in for you.",
                "fields": [("amount", "currency"), "amount_usd"],
            },
        ),
        ("When", {"fields": [("announced_on", "date_precision")]}),
        ("What is known", {"fields": ["summary"]}),
        ("Provenance", {"description": CLAIM_DESCRIPTION, "fields": PROVENANCE_FIELDS}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("investors", "investor_people", "recipients", "recipient_people")
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_status()

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        by_model = {formset.model: formset for formset in formsets}
        deal_form_check = _PartyCheck(by_model)
        for formset in formsets:
            if isinstance(formset, PartyFormSet):
                formset.party_check = deal_form_check
        return formsets, inline_instances

    @admin.display(description="status")
    def status_line(self, investment):
        if investment is None or investment.pk is None:
            return "Announced (add a 'deal status change' event to record a move)"
        return investment.status_display

    @admin.display(description="investors")
    def investor_names(self, investment):
        names = [o.name for o in investment.investors.all()] + [p.name for p in investment.investor_people.all()]
        return ", ".join(names)

    @admin.display(description="recipients")
    def recipient_names(self, investment):
        names = [o.name for o in investment.recipients.all()] + [p.name for p in investment.recipient_people.all()]
        return ", ".join(names)

    @admin.display(description="amount", ordering="amount_usd")
    def amount_display(self, investment):
        if investment.amount is None:
            return "undisclosed"
        shown = format_amount(investment.amount, investment.currency)
        if investment.currency != "USD" and investment.amount_usd is not None:
            shown += f" ({format_amount(investment.amount_usd, 'USD')})"
        return shown

    @admin.display(description="date", ordering="announced_on")
    def date_display(self, investment):
        return investment.date_display


@admin.register(InvestmentInTrash)
class InvestmentTrashAdmin(TrashAdmin):
    list_display = ["title", "kind", "announced_on", "deleted_at"]
    search_fields = ["title", "slug"]


class EventOrganizationInline(admin.TabularInline):
    model = EventOrganization
    extra = 1
    autocomplete_fields = ["organization"]


class EventPersonInline(admin.TabularInline):
    model = EventPerson
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Event)
class EventAdmin(DuplicateWarningAdmin, RevertRestoresLinksAdmin):  # type: ignore[misc]
    list_display = ["title", "kind_display", "date_display", "confidence"]
    list_filter = ["kind", "confidence", "date_precision"]
    search_fields = ["title", "summary", "organizations__name", "people__name", "investments__title"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["investments", "technologies", "sources", "reported_in"]
    inlines = [EventOrganizationInline, EventPersonInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("kind", "new_status")]}),
        ("When", {"fields": [("occurred_on", "date_precision")]}),
        ("What it concerns", {"fields": ["investments", "technologies"]}),
        ("What happened", {"fields": ["summary"]}),
        ("Provenance", {"description": CLAIM_DESCRIPTION, "fields": PROVENANCE_FIELDS}),
    ]

    @admin.display(description="kind", ordering="kind")
    def kind_display(self, event):
        return event.kind_display

    @admin.display(description="date", ordering="occurred_on")
    def date_display(self, event):
        return event.date_display


class ReportedDealInline(admin.TabularInline):
    """On an article's page: the deals it reports (the deals' 'reported in', set from this side)."""

    model = Investment.reported_in.through
    extra = 0
    autocomplete_fields = ["investment"]
    verbose_name = "deal this article reports"
    verbose_name_plural = "deals this article reports"


class ReportedEventInline(admin.TabularInline):
    """On an article's page: the events it reports."""

    model = Event.reported_in.through
    extra = 0
    autocomplete_fields = ["event"]
    verbose_name = "event this article reports"
    verbose_name_plural = "events this article reports"


# The article admin (in the app below) lists the deals and events the article reports.
ArticleAdmin.report_inlines = [ReportedDealInline, ReportedEventInline]
