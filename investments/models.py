"""Deals: money, rights and agreements that move between organizations and people."""

import pycountry
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from lenrnews.models import DATE_PRECISION_HELP, DatePrecision, SearchableManager, format_partial_date
from organizations.models import Claim

CURRENCY_CHOICES = sorted((c.alpha_3, f"{c.alpha_3} — {c.name}") for c in pycountry.currencies)


class Investment(Claim):
    class Kind(models.TextChoices):
        EQUITY = "equity", "Equity"
        ACQUISITION = "acquisition", "Acquisition"
        LICENSE = "license", "License"
        GRANT = "grant", "Grant"
        GOVERNMENT_FUNDING = "government_funding", "Government funding"
        TECHNOLOGY_TRANSFER = "technology_transfer", "Technology transfer"
        PARTNERSHIP = "partnership", "Partnership"
        LOAN = "loan", "Loan"
        SETTLEMENT = "settlement", "Settlement"

    title = models.CharField(
        max_length=300, help_text="What happened, in a line: 'Industrial Heat joins Baishishan park'."
    )
    slug = models.SlugField(max_length=300, unique=True, help_text="The address of its page; made from the title.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    investors = models.ManyToManyField(
        "organizations.Organization", through="InvestorOrganization", blank=True, related_name="investments_made"
    )
    investor_people = models.ManyToManyField(
        "organizations.Person", through="InvestorPerson", blank=True, related_name="investments_made"
    )
    recipient = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investments_received",
        help_text="Who receives the money, rights or partnership; empty when there is none (a framework deal).",
    )
    technologies = models.ManyToManyField("organizations.Technology", blank=True, related_name="investments")
    amount = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="In the deal's currency; empty when not disclosed.",
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD", help_text="ISO 4217 code.")
    amount_usd = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The amount in US dollars at the exchange rate of the announcement date. Filled in "
        "automatically for USD deals; for other currencies enter it yourself.",
    )
    announced_on = models.DateField(null=True, blank=True, help_text="When it was signed or announced.")
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, help_text=DATE_PRECISION_HELP
    )
    summary = models.TextField(blank=True, help_text="What is known, and what is not. Plain text.")
    # Filled by a database trigger on PostgreSQL (lenrnews/migrations); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SearchableManager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        verbose_name = "deal"
        ordering = ["-announced_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="investment_amount_not_negative",
                violation_error_message="The amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__isnull=True) | Q(amount_usd__gte=0),
                name="investment_amount_usd_not_negative",
                violation_error_message="The amount in USD cannot be negative.",
            ),
            models.CheckConstraint(
                # Spelled out for NULLs: "amount_usd = amount" is unknown, not false, when one is NULL.
                condition=~Q(currency="USD")
                | Q(amount__isnull=True, amount_usd__isnull=True)
                | Q(amount__isnull=False, amount_usd__isnull=False, amount_usd=F("amount")),
                name="investment_usd_amount_matches",
                violation_error_message="For a deal in USD the amount in USD is the amount.",
            ),
        ]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["announced_on"]),
            models.Index(fields=["amount_usd"]),
            models.Index(fields=["confidence"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("investments:investment_detail", args=[self.slug])

    @property
    def date_display(self):
        return format_partial_date(self.announced_on, self.date_precision)

    def clean(self):
        if self.currency == "USD":
            self.amount_usd = self.amount
        elif self.amount is not None and self.amount_usd is None:
            raise ValidationError({"amount_usd": "Enter the amount in USD for a deal in another currency."})
        elif self.amount is None and self.amount_usd is not None:
            raise ValidationError({"amount": "Enter the amount in its own currency too."})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:300]
        if self.currency == "USD":
            self.amount_usd = self.amount
        super().save(*args, **kwargs)


class InvestorOrganization(models.Model):
    investment = models.ForeignKey(Investment, on_delete=models.CASCADE)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "investor (organization)"
        constraints = [
            models.UniqueConstraint(fields=["investment", "organization"], name="one_row_per_investor_organization")
        ]

    def __str__(self):
        return str(self.organization)


class InvestorPerson(models.Model):
    investment = models.ForeignKey(Investment, on_delete=models.CASCADE)
    person = models.ForeignKey("organizations.Person", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "investor (person)"
        constraints = [models.UniqueConstraint(fields=["investment", "person"], name="one_row_per_investor_person")]

    def __str__(self):
        return str(self.person)
