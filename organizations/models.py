"""Who is who in the field: organizations, people, their roles, technologies and
the stakes organizations hold in them (an organization's portfolio)."""

import datetime

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
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

NOTES_HELP = "Editors' notes: caveats, open questions. Never shown to readers."

# The profile facts a citation may support, per kind of record.
CITABLE_FIELDS = {
    "organization": ("name", "kind", "founded", "dissolved", "country", "city", "website", "parent"),
    "person": ("name", "country", "born", "died", "website"),
    "technology": ("name", "approach", "stage", "inventors"),
}
# How a reader is told which facts a citation supports ("Supports: founding year, city").
CITABLE_FIELD_LABELS = {
    "founded": "founding year",
    "dissolved": "year dissolved",
    "parent": "parent organization",
    "born": "year of birth",
    "died": "year of death",
}


def citable_field_label(name):
    return CITABLE_FIELD_LABELS.get(name, name.replace("_", " "))


ALIASES_HELP = (
    "Other names, one a line (e.g. 'IH', 'Industrial Heat LLC'). Used by search and to "
    "detect mentions in articles; short all-caps acronyms match case-sensitively."
)


class NamedEntity(TimeStampedModel):
    """A public entity with a name, a unique slug made from it, and aliases."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The address of its page; made from the name.")
    aliases = models.TextField(blank=True, help_text=ALIASES_HELP)
    notes = models.TextField(blank=True, help_text=NOTES_HELP)
    # Filled by a database trigger on PostgreSQL (lenrnews.search_migrations) from each
    # model's ``search_fields``; NULL elsewhere.
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
    logo = models.ForeignKey("articles.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="logo_of")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        help_text="The organization this one is a subsidiary, fund or division of.",
    )

    # What search reads, and how much each field weighs (lenrnews/search.py).
    search_fields = {"name": "A", "aliases": "A", "summary": "B", "description": "C"}

    objects = SearchableManager()
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
    portrait = models.ForeignKey(
        "articles.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="portrait_of"
    )
    born = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year of birth.")
    died = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year of death.")
    bio = models.TextField(blank=True, help_text="Markdown.")
    website = models.URLField(blank=True)

    search_fields = {"name": "A", "aliases": "A", "bio": "C"}

    objects = SearchableManager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta(NamedEntity.Meta):
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["country"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(died__isnull=True) | Q(born__isnull=True) | Q(born__lte=F("died")),
                name="person_born_not_after_died",
                violation_error_message="A person cannot die before they are born.",
            ),
        ]

    def get_absolute_url(self):
        return reverse("organizations:person_detail", args=[self.slug])

    @property
    def bio_html(self):
        return render_markdown(self.bio)


def is_current(end, end_unknown, today=None):
    """A claim holds now when it has no end (and no end of unknown date) or ends in the future."""
    if end_unknown:
        return False
    return end is None or end > (today or datetime.date.today())


def split_current(claims):
    """``(current, former)``: claims that end (stakes, roles) split at today, each in the order given."""
    current, former = [], []
    for claim in claims:
        (current if claim.is_current else former).append(claim)
    return current, former


class EndingQuerySet(models.QuerySet):
    """Claims that end (stakes, roles): ``current()`` and ``former()`` split them at today."""

    end_field = "end"

    def _current_q(self, today=None):
        today = today or datetime.date.today()
        end = self.end_field
        return Q(**{f"{end}_unknown": False}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": today}))

    def current(self, today=None):
        return self.filter(self._current_q(today))

    def former(self, today=None):
        return self.exclude(self._current_q(today))


class StakeQuerySet(EndingQuerySet):
    end_field = "until"


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
    notes = models.TextField(blank=True, help_text=NOTES_HELP)

    class Meta:
        abstract = True

    def party_ids(self) -> tuple[set[int], set[int]]:
        """The organizations and people this claim is about: a source one of them speaks in is a self-claim."""
        raise NotImplementedError

    @classmethod
    def self_claim_source(cls) -> Q:
        """Over a row of the claim's sources table (``source__`` fields), with ``OuterRef`` to the claim:
        the source speaks for one of the claim's parties."""
        raise NotImplementedError


def speaks_for(organizations=(), people=()) -> Q:
    """A ``Q`` over ``source__`` fields: the source's speaker or publisher is one of these (values or subqueries)."""
    q = Q(pk__in=[])
    for organization in organizations:
        lookup = "in" if isinstance(organization, models.QuerySet) else "exact"
        q |= Q(**{f"source__speaker_organization__{lookup}": organization})
        q |= Q(**{f"source__publisher_organization__{lookup}": organization})
    for person in people:
        lookup = "in" if isinstance(person, models.QuerySet) else "exact"
        q |= Q(**{f"source__speaker_person__{lookup}": person})
    return q


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
    end_unknown = models.BooleanField(
        default=False, help_text="The role has ended, but no source says when (leave the end empty)."
    )

    objects = EndingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["sources", "reported_in"])

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

    @property
    def is_current(self):
        return is_current(self.end, self.end_unknown)

    def party_ids(self):
        return {self.organization_id}, {self.person_id}

    @classmethod
    def self_claim_source(cls):
        return speaks_for([OuterRef("organization")], [OuterRef("person")])

    def clean(self):
        if self.end_unknown and self.end is not None:
            raise ValidationError({"end_unknown": "Either give the end date or mark it unknown, not both."})


class Technology(NamedEntity):
    class Approach(models.TextChoices):
        NI_H = "ni_h", "Ni-H"
        PD_D = "pd_d", "Pd-D"
        PLASMA = "plasma", "Plasma"
        ELECTROLYSIS = "electrolysis", "Electrolysis"
        GAS_LOADING = "gas_loading", "Gas loading"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Unknown"

    class Stage(models.TextChoices):
        CONCEPT = "concept", "Concept"
        LABORATORY = "laboratory", "Laboratory"
        PROTOTYPE = "prototype", "Prototype"
        PILOT = "pilot", "Pilot"
        COMMERCIAL = "commercial", "Commercial"
        DORMANT = "dormant", "Dormant"
        UNKNOWN = "unknown", "Unknown"

    approach = models.CharField(
        max_length=20,
        choices=Approach.choices,
        default=Approach.UNKNOWN,
        help_text="Unknown until a source says; cite it under Citations.",
    )
    stage = models.CharField(
        max_length=20,
        choices=Stage.choices,
        default=Stage.UNKNOWN,
        help_text="The furthest stage its developers have shown, not what they claim is coming; unknown until a "
        "source says.",
    )
    inventors = models.ManyToManyField(Person, blank=True, related_name="inventions")
    summary = models.CharField(max_length=300, blank=True, help_text="One line shown in listings.")
    description = models.TextField(blank=True, help_text="Markdown.")

    search_fields = {"name": "A", "aliases": "A", "summary": "B", "description": "C"}

    objects = SearchableManager()
    history = HistoricalRecords(excluded_fields=["search_vector"], m2m_fields=["inventors"])

    class Meta(NamedEntity.Meta):
        verbose_name_plural = "technologies"
        indexes = [models.Index(fields=["approach"]), models.Index(fields=["stage"])]

    def get_absolute_url(self):
        return reverse("organizations:technology_detail", args=[self.slug])

    @property
    def approach_known(self):
        """Whether a source has said its approach (``unknown`` is the default, and no fact)."""
        return self.approach != self.Approach.UNKNOWN

    @property
    def stage_known(self):
        return self.stage != self.Stage.UNKNOWN

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
    until = models.DateField(null=True, blank=True, help_text="When the stake ended; empty while it lasts.")
    until_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, help_text=DATE_PRECISION_HELP
    )
    until_unknown = models.BooleanField(
        default=False, help_text="The stake has ended, but no source says when (leave 'until' empty)."
    )

    objects = StakeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["sources", "reported_in"])

    class Meta:
        verbose_name = "technology stake"
        ordering = ["organization__name", "technology__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "technology", "kind"],
                name="one_stake_per_organization_technology_kind",
                violation_error_message="This organization already has this kind of stake in this technology.",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="stake_until_not_before_since",
                violation_error_message="A stake cannot end before it starts.",
            ),
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self):
        return f"{self.organization} — {self.get_kind_display()} — {self.technology}"

    @property
    def since_display(self):
        return format_partial_date(self.since, self.since_precision)

    @property
    def until_display(self):
        return format_partial_date(self.until, self.until_precision)

    @property
    def is_current(self):
        return is_current(self.until, self.until_unknown)

    def party_ids(self):
        return {self.organization_id}, set()

    @classmethod
    def self_claim_source(cls):
        return speaks_for([OuterRef("organization")])

    def clean(self):
        if self.until_unknown and self.until is not None:
            raise ValidationError({"until_unknown": "Either give the end date or mark it unknown, not both."})


class Citation(TimeStampedModel):
    """A source cited for some of a record's profile facts (its founding year, its stage...)."""

    source = models.ForeignKey("articles.Source", on_delete=models.PROTECT, related_name="%(class)ss")
    fields = models.JSONField(default=list, help_text="The facts this source supports.")
    quote = models.TextField(blank=True, help_text="The words the facts rest on, quoted exactly.")

    subject_kind = ""

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.source} — {', '.join(self.fields)}"

    def clean(self):
        allowed = CITABLE_FIELDS[self.subject_kind]
        if not isinstance(self.fields, list) or not self.fields:
            raise ValidationError({"fields": "Name at least one fact this source supports."})
        unknown = [name for name in self.fields if name not in allowed]
        if unknown:
            raise ValidationError(
                {"fields": f"Not a citable fact: {', '.join(map(str, unknown))}. Choose from {', '.join(allowed)}."}
            )


class OrganizationCitation(Citation):
    subject = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="citations")
    subject_kind = "organization"

    def party_ids(self):
        """The organization speaking of itself is a self-claim."""
        return {self.subject_id}, set()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "citation"
        ordering = ["pk"]


class PersonCitation(Citation):
    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citations")
    subject_kind = "person"

    def party_ids(self):
        """The person speaking of themselves is a self-claim."""
        return set(), {self.subject_id}

    history = HistoricalRecords()

    class Meta:
        verbose_name = "citation"
        ordering = ["pk"]


class TechnologyCitation(Citation):
    subject = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="citations")
    subject_kind = "technology"

    history = HistoricalRecords()

    class Meta:
        verbose_name = "citation"
        ordering = ["pk"]


# A profile fact holding one of these has no value yet: there is nothing to cite.
NOT_A_VALUE = (None, "", "unknown")


def uncited_facts(record) -> list[str]:
    """The profile facts of ``record`` (an organization, a person, a technology) that have a value
    and no citation; its name needs none.

    Reads ``record.citations`` and a technology's ``inventors``: prefetch them for many records.
    ``with_uncited_facts`` finds the same records in SQL.
    """
    kind = record._meta.model_name
    cited = {name for citation in record.citations.all() for name in citation.fields}
    missing = []
    for name in CITABLE_FIELDS[kind]:
        if name == "name" or name in cited:
            continue
        field = record._meta.get_field(name)
        if field.many_to_many:
            has_value = record.pk and getattr(record, name).exists()
        else:
            has_value = getattr(record, field.attname) not in NOT_A_VALUE
        if has_value:
            missing.append(name)
    return missing


def with_uncited_facts(queryset):
    """The records of ``queryset`` with a fact ``uncited_facts`` would name; what it reads is prefetched."""
    model = queryset.model
    citations = model._meta.get_field("citations").related_model.objects.filter(subject=OuterRef("pk"))
    uncited = Q(pk__in=[])
    related = ["citations"]
    for name in CITABLE_FIELDS[model._meta.model_name]:
        if name == "name":
            continue
        field = model._meta.get_field(name)
        if field.many_to_many:
            filled = Q(Exists(model.objects.filter(pk=OuterRef("pk"), **{f"{name}__isnull": False})))
            related.append(name)
        else:
            filled = Q(**{f"{field.attname}__isnull": False})
            if isinstance(field, models.CharField | models.TextField):
                filled &= ~Q(**{f"{name}__in": [value for value in NOT_A_VALUE if value is not None]})
        # ``fields`` is a JSON list of names: '"founded"' in its text is the name itself, on any database.
        cited = Q(Exists(citations.filter(fields__icontains=f'"{name}"')))
        uncited |= filled & ~cited
    return queryset.filter(uncited).prefetch_related(*related)
