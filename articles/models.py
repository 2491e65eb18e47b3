"""What we publish (articles, topics, corrections) and what we cite (sources)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
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
)


class Topic(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="Markdown, shown on the topic's page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)


class Source(TimeStampedModel):
    """An external report we rely on, with who said it and how it reached us."""

    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it: a site, mailing list, paper or magazine."
    )
    publisher_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_sources",
        help_text="The publisher, when it is in our database.",
    )
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, help_text=DATE_PRECISION_HELP
    )
    quote = models.TextField(blank=True, help_text="The words the claim rests on, quoted exactly.")
    attributed_to = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who said it, as the source names them (e.g. 'Marianne Macy, Infinite Energy').",
    )
    self_claim = models.BooleanField(
        default=False,
        help_text="The subject speaking about itself (a company on its own technology): not independent confirmation.",
    )
    via = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relayed_by",
        help_text="The source this one got it from (e.g. E-Cat World got it via a Vortex-L post).",
    )
    confidence = models.CharField(
        max_length=10,
        choices=Confidence.choices,
        default=Confidence.REPORTED,
        help_text="How far this source itself is verified. " + CONFIDENCE_HELP,
    )
    reliability = models.TextField(blank=True, help_text="Notes on how far to trust it and why.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["self_claim"]), models.Index(fields=["confidence"])]

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

    @property
    def published_display(self):
        return format_partial_date(self.published_on, self.published_precision)

    @property
    def chain(self):
        """The sources this one came through, earliest first, ending with itself.

        Follows ``via`` up to a bounded depth, so a loop typed by mistake cannot hang a page.
        """
        chain, seen, source = [], set(), self
        while source is not None and source.pk not in seen and len(chain) < 10:
            chain.append(source)
            seen.add(source.pk)
            source = source.via
        return chain[::-1]

    @property
    def chain_display(self):
        """'Vortex-L -> E-Cat World': the publishers it passed through."""
        return " -> ".join(s.publisher or s.title for s in self.chain)

    def clean(self):
        if self.via_id and self.via_id == self.pk:
            raise ValidationError({"via": "A source cannot come via itself."})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what a reader may see."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())


class Article(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True, help_text="The address of the article; made from the title.")
    standfirst = models.TextField(blank=True, help_text="The one- or two-sentence summary under the headline.")
    body = models.TextField(help_text="Markdown. Raw HTML is not allowed and is shown as text.")
    body_html = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    byline = models.CharField(
        max_length=200, blank=True, help_text="The name printed as the author; the author's name when empty."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers may see it. In the future, a published article is scheduled; empty means now.",
    )
    review_note = models.TextField(blank=True, help_text="The editor's note to the writer when sending it back.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    organizations = models.ManyToManyField(
        "organizations.Organization", through="OrganizationMention", blank=True, related_name="articles"
    )
    people = models.ManyToManyField(
        "organizations.Person", through="PersonMention", blank=True, related_name="articles"
    )
    technologies = models.ManyToManyField(
        "organizations.Technology", through="TechnologyMention", blank=True, related_name="articles"
    )
    rejected_organizations = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="+", help_text="Detected mentions an editor rejected."
    )
    rejected_people = models.ManyToManyField(
        "organizations.Person", blank=True, related_name="+", help_text="Detected mentions an editor rejected."
    )
    rejected_technologies = models.ManyToManyField(
        "organizations.Technology", blank=True, related_name="+", help_text="Detected mentions an editor rejected."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="articles")

    # Filled by a database trigger on PostgreSQL (lenrnews/migrations); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SearchableManager.from_queryset(ArticleQuerySet)()
    history = HistoricalRecords(excluded_fields=["body_html", "search_vector"])

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article_detail", args=[self.slug])

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def byline_display(self):
        if self.byline:
            return self.byline
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return ""

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:300]
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)


class Mention(models.Model):
    """An entity an article mentions; ``detected`` when found by mention detection."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    detected = models.BooleanField(default=False, help_text="Found in the text automatically.")

    class Meta:
        abstract = True


class OrganizationMention(Mention):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "organization"], name="one_mention_per_organization")]

    def __str__(self):
        return str(self.organization)


class PersonMention(Mention):
    person = models.ForeignKey("organizations.Person", on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "person"], name="one_mention_per_person")]

    def __str__(self):
        return str(self.person)


class TechnologyMention(Mention):
    technology = models.ForeignKey("organizations.Technology", on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "technology"], name="one_mention_per_technology")]

    def __str__(self):
        return str(self.technology)


class Correction(TimeStampedModel):
    """A public correction appended to a published article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    published_on = models.DateField(default=timezone.localdate)
    text = models.TextField(help_text="What was wrong and what is right. Markdown.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return f"Correction to {self.article} ({self.published_on})"

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#correction-{self.pk}"

    @property
    def text_html(self):
        return render_markdown(self.text)
