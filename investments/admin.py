"""The editors' admin for deals, with their investors as inline rows."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organizations.admin import CLAIM_DESCRIPTION, PROVENANCE_FIELDS, InvestmentStakeInline

from .models import Investment, InvestorOrganization, InvestorPerson


def format_amount(amount, currency):
    """'121,000,000 USD'; cents only when there are any."""
    if amount is None:
        return ""
    digits = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{digits} {currency}"


class InvestorOrganizationInline(admin.TabularInline):
    model = InvestorOrganization
    extra = 1
    autocomplete_fields = ["organization"]
    verbose_name = "investor or party (organization)"
    verbose_name_plural = "investors and parties (organizations)"


class InvestorPersonInline(admin.TabularInline):
    model = InvestorPerson
    extra = 0
    autocomplete_fields = ["person"]
    verbose_name = "investor or party (person)"
    verbose_name_plural = "investors and parties (people)"


@admin.register(Investment)
class InvestmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "investor_names",
        "recipient_name",
        "amount_display",
        "date_display",
        "confidence",
    ]
    list_filter = ["kind", "confidence", "date_precision", ("currency", admin.AllValuesFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = [
        "title",
        "summary",
        "recipient__name",
        "recipient__aliases",
        "investors__name",
        "investors__aliases",
        "investor_people__name",
        "investor_people__aliases",
    ]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "announced_on"
    autocomplete_fields = ["recipient", "technologies", "sources", "reported_in"]
    inlines = [InvestorOrganizationInline, InvestorPersonInline, InvestmentStakeInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "recipient", "technologies"]}),
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
        return super().get_queryset(request).prefetch_related("investors", "investor_people")

    @admin.display(description="investors")
    def investor_names(self, investment):
        names = [o.name for o in investment.investors.all()] + [p.name for p in investment.investor_people.all()]
        return ", ".join(names)

    @admin.display(description="recipient", ordering="recipient__name")
    def recipient_name(self, investment):
        # A method, not the field: the admin never wraps foreign-key columns, and names here are long.
        return investment.recipient.name if investment.recipient_id else ""

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
