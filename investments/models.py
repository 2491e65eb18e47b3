"""Deals: money, rights and agreements that move between organizations and people."""

import pycountry
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from lenrnews.markdown import render_markdown
from lenrnews.models import (
    DATE_PRECISION_HELP,
    Confidence,
    DatePrecision,
    LiveManager,
    SearchableManager,
    TrashableModel,
    TrashManager,
    format_partial_date,
)
from organizations.models import Claim, speaks_for

CURRENCY_CHOICES = sorted((c.alpha_3, f"{c.alpha_3} — {c.name}") for c in pycountry.currencies)


class Investment(TrashableModel, Claim):
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

    class Status(models.TextChoices):
        ANNOUNCED = "announced", "Announced"
        SIGNED = "signed", "Signed"
        COMPLETED = "completed", "Completed"
        TERMINATED = "terminated", "Terminated"
        LAPSED = "lapsed", "Lapsed"

    ENDED = (Status.TERMINATED, Status.LAPSED)

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
    recipients = models.ManyToManyField(
        "organizations.Organization",
        through="RecipientOrganization",
        blank=True,
        related_name="investments_received",
        help_text="Who receives the money, rights or partnership; none for a framework deal.",
    )
    recipient_people = models.ManyToManyField(
        "organizations.Person", through="RecipientPerson", blank=True, related_name="investments_received"
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
    # Derived from the deal's status events (Event.kind deal_status): see ``refresh_status``.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANNOUNCED, editable=False)
    status_event = models.ForeignKey(
        "Event", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # When it stopped being active (terminated or lapsed), for "active in a year"; derived as ``status``.
    ended_on = models.DateField(null=True, blank=True, editable=False)
    # What search reads, and how much each field weighs (lenrnews/search.py).
    search_fields = {"title": "A", "summary": "B"}
    # Filled by a database trigger on PostgreSQL (lenrnews.search_migrations); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = LiveManager()
    all_objects = SearchableManager()
    history = HistoricalRecords(
        excluded_fields=["search_vector", "status", "status_event", "ended_on"],
        m2m_fields=["technologies", "sources", "reported_in"],
    )

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
            models.Index(fields=["status"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("investments:investment_detail", args=[self.slug])

    @property
    def date_display(self):
        return format_partial_date(self.announced_on, self.date_precision)

    def derive_amount_usd(self):
        """A deal in US dollars: its amount in USD is its amount (other currencies: the editor's figure)."""
        if self.currency == "USD":
            self.amount_usd = self.amount

    def clean(self):
        # Derived before the checks and the constraints, so a form shows the value it will save.
        self.derive_amount_usd()
        if self.currency == "USD":
            return
        if self.amount is not None and self.amount_usd is None:
            raise ValidationError({"amount_usd": "Enter the amount in USD for a deal in another currency."})
        if self.amount is None and self.amount_usd is not None:
            raise ValidationError({"amount": "Enter the amount in its own currency too."})

    @staticmethod
    def party_errors(*, investors=(), recipients=(), investor_people=(), recipient_people=()) -> dict[str, str]:
        """Field errors for a deal's parties: nobody is on both sides of a deal.

        The parties are many-to-many relations, set after the row is saved, so every
        door (the admin form, the API) calls this with the values it is about to save.
        """
        errors = {}
        both = [str(o) for o in recipients if o in set(investors)]
        if both:
            errors["investors"] = f"{', '.join(both)}: a recipient of this deal cannot also be one of its investors."
        both_people = [str(p) for p in recipient_people if p in set(investor_people)]
        if both_people:
            errors["investor_people"] = (
                f"{', '.join(both_people)}: a recipient of this deal cannot also be one of its investors."
            )
        return errors

    @property
    def status_display(self):
        """'Terminated, disputed, 2 Jun 2016': the state, and the move that set it."""
        event = self.status_event
        if event is None:
            return self.get_status_display()
        return f"{self.get_status_display()}, {event.get_confidence_display().lower()}, {event.date_display}"

    @property
    def is_active(self):
        return self.status not in self.ENDED

    def refresh_status(self, save=True):
        """Set ``status`` from the latest move at least ``reported`` (``announced`` when there is none)."""
        moves = (
            self.events.filter(kind=Event.Kind.DEAL_STATUS, confidence__in=Confidence.at_least(Confidence.REPORTED))
            .exclude(new_status="")
            .order_by(F("occurred_on").desc(nulls_last=True), "-pk")
        )
        latest = moves.first()
        self.status = latest.new_status if latest else self.Status.ANNOUNCED
        self.status_event = latest
        self.ended_on = latest.occurred_on if latest and latest.new_status in self.ENDED else None
        if save and self.pk:
            type(self).all_objects.filter(pk=self.pk).update(
                status=self.status, status_event=self.status_event, ended_on=self.ended_on
            )

    def party_ids(self):
        organizations = {o.pk for o in self.investors.all()} | {o.pk for o in self.recipients.all()}
        people = {p.pk for p in self.investor_people.all()} | {p.pk for p in self.recipient_people.all()}
        return organizations, people

    @classmethod
    def self_claim_source(cls):
        deal = OuterRef(OuterRef("pk"))
        return speaks_for(
            [
                InvestorOrganization.objects.filter(investment=deal).values("organization"),
                RecipientOrganization.objects.filter(investment=deal).values("organization"),
            ],
            [
                InvestorPerson.objects.filter(investment=deal).values("person"),
                RecipientPerson.objects.filter(investment=deal).values("person"),
            ],
        )

    @property
    def party_rows(self):
        """Every party with its side, lead flag and own amount, investors first (prefetch the four row sets)."""
        rows = []
        for side, kind, row_set in (
            ("investor", "organization", self.investororganization_set),
            ("investor", "person", self.investorperson_set),
            ("recipient", "organization", self.recipientorganization_set),
            ("recipient", "person", self.recipientperson_set),
        ):
            for row in row_set.all():
                rows.append(
                    {
                        "side": side,
                        "organization": row.organization if kind == "organization" else None,
                        "person": row.person if kind == "person" else None,
                        "is_lead": row.is_lead,
                        "amount": row.amount,
                        "amount_usd": row.amount_usd,
                    }
                )
        return rows

    @property
    def lifecycle(self):
        """Its status moves, earliest first."""
        return [e for e in self.events.all() if e.kind == Event.Kind.DEAL_STATUS]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:300]
        self.derive_amount_usd()  # also for writes that skip clean(): factories, commands
        super().save(*args, **kwargs)


class InvestmentInTrash(Investment):
    """The Trash: deleted deals, which an editor may restore for 30 days (``purge_trash``)."""

    objects = TrashManager()  # type: ignore[misc,assignment]  # a proxy that sees only the trash

    class Meta:
        proxy = True
        default_manager_name = "objects"
        verbose_name = "deal in the trash"
        verbose_name_plural = "trash: deals"


class DealParty(models.Model):
    """A party's row in a deal: whether it led, and its own amount when the sources give it."""

    is_lead = models.BooleanField(default=False, help_text="The lead investor (or main recipient).")
    amount = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="This party's own part, in the deal's currency.",
    )
    amount_usd = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="This party's own part in US dollars."
    )

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.party)

    @property
    def party(self):
        return getattr(self, "organization", None) or getattr(self, "person", None)

    def clean(self):
        for field in ("amount", "amount_usd"):
            value = getattr(self, field)
            if value is not None and value < 0:
                raise ValidationError({field: "An amount cannot be negative."})
        deal = getattr(self, "investment", None)
        if deal is not None and deal.currency == "USD" and self.amount is not None:
            self.amount_usd = self.amount


class InvestorOrganization(DealParty):
    investment = models.ForeignKey(Investment, on_delete=models.CASCADE)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "investor (organization)"
        constraints = [
            models.UniqueConstraint(fields=["investment", "organization"], name="one_row_per_investor_organization")
        ]


class InvestorPerson(DealParty):
    investment = models.ForeignKey(Investment, on_delete=models.CASCADE)
    person = models.ForeignKey("organizations.Person", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "investor (person)"
        constraints = [models.UniqueConstraint(fields=["investment", "person"], name="one_row_per_investor_person")]


class RecipientOrganization(DealParty):
    investment = models.ForeignKey(Investment, on_delete=models.CASCADE)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "recipient (organization)"
        constraints = [
            models.UniqueConstraint(fields=["investment", "organization"], name="one_row_per_recipient_organization")
        ]


class RecipientPerson(DealParty):
    investment = models.ForeignKey(Investment, on_delete=models.CASCADE)
    person = models.ForeignKey("organizations.Person", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "recipient (person)"
        constraints = [models.UniqueConstraint(fields=["investment", "person"], name="one_row_per_recipient_person")]


class Event(Claim):
    """Something that happened that is not a deal: a lawsuit, a termination, a demonstration..."""

    class Kind(models.TextChoices):
        LAWSUIT_FILED = "lawsuit_filed", "Lawsuit filed"
        LAWSUIT_SETTLED = "lawsuit_settled", "Lawsuit settled"
        LICENSE_TERMINATED = "license_terminated", "Licence terminated"
        ANNOUNCEMENT = "announcement", "Announcement"
        STATEMENT = "statement", "Statement"
        DEMONSTRATION = "demonstration", "Demonstration"
        TEST_REPORT = "test_report", "Test report"
        PUBLICATION = "publication", "Paper published"
        PATENT_FILED = "patent_filed", "Patent filed"
        PATENT_GRANTED = "patent_granted", "Patent granted"
        REVALUATION = "revaluation", "Revaluation"
        WRITE_DOWN = "write_down", "Write-down"
        FOUNDING = "founding", "Founding"
        DISSOLUTION = "dissolution", "Dissolution"
        DEAL_STATUS = "deal_status", "Deal status change"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300, help_text="What happened, in a line.")
    slug = models.SlugField(max_length=300, unique=True, help_text="The address of its page; made from the title.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    new_status = models.CharField(
        max_length=10,
        choices=Investment.Status.choices,
        blank=True,
        help_text="For a deal status change: the state the deal moved to.",
    )
    occurred_on = models.DateField(null=True, blank=True, help_text="When it happened.")
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, help_text=DATE_PRECISION_HELP
    )
    summary = models.TextField(blank=True, help_text="Markdown: what happened, what is known and what is not.")
    organizations = models.ManyToManyField(
        "organizations.Organization", through="EventOrganization", blank=True, related_name="events"
    )
    people = models.ManyToManyField("organizations.Person", through="EventPerson", blank=True, related_name="events")
    investments = models.ManyToManyField(Investment, blank=True, related_name="events", verbose_name="deals")
    technologies = models.ManyToManyField("organizations.Technology", blank=True, related_name="events")

    search_fields = {"title": "A", "summary": "B"}
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SearchableManager()
    history = HistoricalRecords(
        excluded_fields=["search_vector"], m2m_fields=["investments", "technologies", "sources", "reported_in"]
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="deal_status") & ~Q(new_status="")) | (~Q(kind="deal_status") & Q(new_status="")),
                name="event_new_status_only_for_deal_status",
                violation_error_message="A deal status change names the new state; other events name none.",
            ),
        ]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["occurred_on"]),
            models.Index(fields=["confidence"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("investments:event_detail", args=[self.slug])

    @property
    def date_display(self):
        return format_partial_date(self.occurred_on, self.date_precision)

    @property
    def summary_html(self):
        return render_markdown(self.summary)

    def party_ids(self):
        return {o.pk for o in self.organizations.all()}, {p.pk for p in self.people.all()}

    @property
    def party_rows(self):
        """Its parties with their roles, organizations first (prefetch ``eventorganization_set__organization``
        and ``eventperson_set__person``)."""
        rows = [
            {"organization": r.organization, "person": None, "role": r.role} for r in self.eventorganization_set.all()
        ]
        rows += [{"organization": None, "person": r.person, "role": r.role} for r in self.eventperson_set.all()]
        return rows

    @classmethod
    def self_claim_source(cls):
        event = OuterRef(OuterRef("pk"))
        return speaks_for(
            [EventOrganization.objects.filter(event=event).values("organization")],
            [EventPerson.objects.filter(event=event).values("person")],
        )

    @property
    def kind_display(self):
        if self.kind == self.Kind.DEAL_STATUS and self.new_status:
            return f"Deal {self.get_new_status_display().lower()}"
        return self.get_kind_display()

    def clean(self):
        if self.kind == self.Kind.DEAL_STATUS and not self.new_status:
            raise ValidationError({"new_status": "Name the state the deal moved to."})
        if self.kind != self.Kind.DEAL_STATUS and self.new_status:
            raise ValidationError({"new_status": "Only a deal status change sets a new state."})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:300]
        super().save(*args, **kwargs)
        for deal in self.investments.all():
            deal.refresh_status()


class EventParty(models.Model):
    role = models.CharField(
        max_length=60, blank=True, help_text="The party's part in it: plaintiff, defendant, author, tester..."
    )

    class Meta:
        abstract = True

    def __str__(self):
        party = getattr(self, "organization", None) or getattr(self, "person", None)
        return f"{party} ({self.role})" if self.role else str(party)


class EventOrganization(EventParty):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "party (organization)"
        verbose_name_plural = "parties (organizations)"
        constraints = [models.UniqueConstraint(fields=["event", "organization"], name="one_row_per_event_organization")]


class EventPerson(EventParty):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    person = models.ForeignKey("organizations.Person", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "party (person)"
        verbose_name_plural = "parties (people)"
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="one_row_per_event_person")]


def _refresh_deal_status(sender, instance, action, pk_set, reverse, **kwargs):
    """An event linked to or unlinked from deals: their status follows."""
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if action == "pre_clear":
        instance._cleared_deal_ids = (
            list(instance.investments.values_list("pk", flat=True)) if not reverse else [instance.pk]
        )
        return
    if reverse:
        deals = [instance]
    else:
        ids = set(pk_set or ()) | set(getattr(instance, "_cleared_deal_ids", ()))
        deals = Investment.all_objects.filter(pk__in=ids)
    for deal in deals:
        deal.refresh_status()


def _refresh_deals_of_deleted_event(sender, instance, **kwargs):
    for deal in Investment.all_objects.filter(pk__in=getattr(instance, "_deal_ids", ())):
        deal.refresh_status()


def _remember_deals_of_event(sender, instance, **kwargs):
    instance._deal_ids = list(instance.investments.values_list("pk", flat=True))


m2m_changed.connect(_refresh_deal_status, sender=Event.investments.through)
pre_delete.connect(_remember_deals_of_event, sender=Event)
post_delete.connect(_refresh_deals_of_deleted_event, sender=Event)
