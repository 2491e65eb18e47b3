"""Who is who in the field: organizations, people, their roles, technologies and
the stakes organizations hold in them (an organization's portfolio)."""

from django.apps import apps
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, DecimalField, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.text import slugify
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from lenrnews.markdown import render_markdown
from lenrnews.models import (
    CONFIDENCE_HELP,
    DATE_PRECISION_HELP,
    Confidence,
    DatePrecision,
    SearchableManager,
    TimeStampedModel,
    format_partial_date,
    split_aliases,
)

ALIASES_HELP = (
    "Other names, one a line (e.g. 'IH', 'Industrial Heat LLC'). Used by search and to "
    "detect mentions in articles; short all-caps acronyms match case-sensitively."
)


class NamedEntity(TimeStampedModel):
    """A public entity with a name, a unique slug made from it, and aliases."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The address of its page; made from the name.")
    aliases = models.TextField(blank=True, help_text=ALIASES_HELP)
    # Filled by a database trigger on PostgreSQL (lenrnews/migrations); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        return split_aliases(self.aliases)

    @property
    def names(self):
        """The name and every alias: what mention detection and search look for."""
        return [self.name, *self.alias_list]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)


def _subquery_aggregate(queryset, group_by, aggregate, output_field):
    """One aggregate of ``queryset`` per outer row, as a scalar subquery (no row fan-out)."""
    return Subquery(
        queryset.order_by().values(group_by).annotate(result=aggregate).values("result")[:1],
        output_field=output_field,
    )


class OrganizationQuerySet(models.QuerySet):
    def with_deal_stats(self):
        """Annotate ``deal_count``, ``total_raised_usd`` and ``latest_deal_on``.

        Deals made count as investor, deals received as recipient; the total raised is
        what it received. Subqueries keep it one query whatever the number of rows.
        """
        # Lazy lookup: investments depends on organizations, not the other way round.
        investment = apps.get_model("investments", "Investment")
        investor_row = apps.get_model("investments", "InvestorOrganization")
        received = investment.objects.filter(recipient=OuterRef("pk"))
        made = investor_row.objects.filter(organization=OuterRef("pk"))
        money = DecimalField(max_digits=18, decimal_places=2)
        received_last = _subquery_aggregate(received, "recipient", Max("announced_on"), models.DateField())
        made_last = _subquery_aggregate(made, "organization", Max("investment__announced_on"), models.DateField())
        return self.annotate(
            deals_received=Coalesce(_subquery_aggregate(received, "recipient", Count("pk"), IntegerField()), Value(0)),
            deals_made=Coalesce(_subquery_aggregate(made, "organization", Count("pk"), IntegerField()), Value(0)),
            total_raised_usd=_subquery_aggregate(received, "recipient", Sum("amount_usd"), money),
            # GREATEST treats NULL differently on SQLite and PostgreSQL; coalescing
            # each side with the other gives the same answer on both.
            latest_deal_on=Greatest(Coalesce(received_last, made_last), Coalesce(made_last, received_last)),
        ).annotate(deal_count=F("deals_received") + F("deals_made"))


class Organization(NamedEntity):
    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        INVESTOR = "investor", "Investor"
        RESEARCH_LAB = "research_lab", "Research lab"
        UNIVERSITY = "university", "University"
        GOVERNMENT = "government", "Government"
        MEDIA = "media", "Media"
        TECHNOLOGY_PARK = "technology_park", "Technology park"
        NONPROFIT = "nonprofit", "Nonprofit"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    country = CountryField(blank=True, help_text="Where it is based (ISO 3166 country).")
    city = models.CharField(max_length=120, blank=True, help_text="City or area, e.g. 'Raleigh, North Carolina'.")
    founded = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year founded.")
    dissolved = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year dissolved, if it has.")
    website = models.URLField(blank=True)
    summary = models.CharField(max_length=300, blank=True, help_text="One line shown in listings.")
    description = models.TextField(blank=True, help_text="Markdown.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        help_text="The organization this one is a subsidiary, fund or division of.",
    )

    objects = SearchableManager.from_queryset(OrganizationQuerySet)()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta(NamedEntity.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(founded__isnull=True) | Q(founded__lte=F("dissolved")),
                name="organization_founded_not_after_dissolved",
                violation_error_message="An organization cannot be dissolved before it was founded.",
            ),
        ]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["country"]),
            models.Index(fields=["founded"]),
        ]

    def get_absolute_url(self):
        return reverse("organizations:organization_detail", args=[self.slug])

    @property
    def description_html(self):
        return render_markdown(self.description)

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "An organization cannot be its own parent."})


class Person(NamedEntity):
    country = CountryField(blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.")
    website = models.URLField(blank=True)

    objects = SearchableManager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta(NamedEntity.Meta):
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["country"])]

    def get_absolute_url(self):
        return reverse("organizations:person_detail", args=[self.slug])

    @property
    def bio_html(self):
        return render_markdown(self.bio)


class Claim(TimeStampedModel):
    """A fact the database asserts: it says how sure we are and where it came from."""

    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.REPORTED, help_text=CONFIDENCE_HELP
    )
    sources = models.ManyToManyField(
        "articles.Source", blank=True, related_name="%(class)s_claims", help_text="The reports this rests on."
    )
    reported_in = models.ManyToManyField(
        "articles.Article", blank=True, related_name="%(class)s_claims", help_text="Our own articles that report it."
    )
    notes = models.TextField(blank=True, help_text="Editors' notes: caveats, what is not known.")

    class Meta:
        abstract = True


class Affiliation(Claim):
    """A person's role at an organization over a period of time."""

    class Role(models.TextChoices):
        FOUNDER = "founder", "Founder"
        CEO = "ceo", "CEO"
        EXECUTIVE = "executive", "Executive"
        CHIEF_SCIENTIST = "chief_scientist", "Chief scientist"
        RESEARCHER = "researcher", "Researcher"
        INVENTOR = "inventor", "Inventor"
        ENGINEER = "engineer", "Engineer"
        BOARD_MEMBER = "board_member", "Board member"
        BACKER = "backer", "Backer"
        ADVISOR = "advisor", "Advisor"
        SPOKESPERSON = "spokesperson", "Spokesperson"
        JOURNALIST = "journalist", "Journalist"
        EMPLOYEE = "employee", "Employee"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="affiliations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="affiliations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OTHER)
    title = models.CharField(max_length=200, blank=True, help_text="The title as reported, e.g. 'Managing partner'.")
    start = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, help_text=DATE_PRECISION_HELP
    )
    end = models.DateField(null=True, blank=True, help_text="Empty while the role lasts.")
    end_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, help_text=DATE_PRECISION_HELP
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name", "organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="affiliation_end_not_before_start",
                violation_error_message="A role cannot end before it starts.",
            ),
        ]
        indexes = [models.Index(fields=["role"])]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} — {self.organization}"

    @property
    def start_display(self):
        return format_partial_date(self.start, self.start_precision)

    @property
    def end_display(self):
        return format_partial_date(self.end, self.end_precision)


class Technology(NamedEntity):
    class Approach(models.TextChoices):
        NI_H = "ni_h", "Ni-H"
        PD_D = "pd_d", "Pd-D"
        PLASMA = "plasma", "Plasma"
        ELECTROLYSIS = "electrolysis", "Electrolysis"
        GAS_LOADING = "gas_loading", "Gas loading"
        OTHER = "other", "Other"

    class Stage(models.TextChoices):
        CONCEPT = "concept", "Concept"
        LABORATORY = "laboratory", "Laboratory"
        PROTOTYPE = "prototype", "Prototype"
        PILOT = "pilot", "Pilot"
        COMMERCIAL = "commercial", "Commercial"
        DORMANT = "dormant", "Dormant"

    approach = models.CharField(max_length=20, choices=Approach.choices, default=Approach.OTHER)
    stage = models.CharField(
        max_length=20,
        choices=Stage.choices,
        default=Stage.LABORATORY,
        help_text="The furthest stage its developers have shown, not what they claim is coming.",
    )
    inventors = models.ManyToManyField(Person, blank=True, related_name="inventions")
    summary = models.CharField(max_length=300, blank=True, help_text="One line shown in listings.")
    description = models.TextField(blank=True, help_text="Markdown.")

    objects = SearchableManager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta(NamedEntity.Meta):
        verbose_name_plural = "technologies"
        indexes = [models.Index(fields=["approach"]), models.Index(fields=["stage"])]

    def get_absolute_url(self):
        return reverse("organizations:technology_detail", args=[self.slug])

    @property
    def description_html(self):
        return render_markdown(self.description)


class TechnologyStake(Claim):
    """An organization's stake in a technology: one line of its portfolio."""

    class Kind(models.TextChoices):
        DEVELOPER = "developer", "Developer"
        OWNER = "owner", "Owner"
        LICENSEE = "licensee", "Licensee"
        INVESTOR = "investor", "Investor"
        PARTNER = "partner", "Partner"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="stakes")
    technology = models.ForeignKey(Technology, on_delete=models.PROTECT, related_name="stakes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OWNER)
    since = models.DateField(null=True, blank=True)
    since_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, help_text=DATE_PRECISION_HELP
    )
    investment = models.ForeignKey(
        "investments.Investment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakes",
        help_text="The deal that created this stake, if known.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "technology stake"
        ordering = ["organization__name", "technology__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "technology", "kind"],
                name="one_stake_per_organization_technology_kind",
                violation_error_message="This organization already has this kind of stake in this technology.",
            ),
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self):
        return f"{self.organization} — {self.get_kind_display()} — {self.technology}"

    @property
    def since_display(self):
        return format_partial_date(self.since, self.since_precision)
