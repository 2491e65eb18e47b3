"""What we publish (articles, topics, corrections) and what we cite (sources)."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.signals import pre_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from lenrnews import names
from lenrnews.markdown import render_markdown
from lenrnews.models import (
    DATE_PRECISION_HELP,
    DatePrecision,
    LiveManager,
    SearchableManager,
    TimeStampedModel,
    TrashableModel,
    TrashManager,
    format_partial_date,
    refuse_delete_while_linked,
    split_aliases,
)


class Topic(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="Markdown, shown on the topic's page.")

    history = HistoricalRecords()

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


class Image(TimeStampedModel):
    """An uploaded picture (checked by content, metadata stripped) with its renditions, for articles,
    logos and portraits. See lenrnews/media.py."""

    alt = models.CharField(max_length=300, help_text="What the picture shows, for readers who cannot see it. Required.")
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Who made it, e.g. 'Photo: Industrial Heat'.")
    original = models.CharField(max_length=300, editable=False)
    format = models.CharField(max_length=5, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    renditions = models.JSONField(default=list, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt

    def _url(self, name):
        return default_storage.url(name)

    def rendition(self, width, fmt=None):
        """The smallest stored rendition at least ``width`` wide (the largest when none is), in ``fmt``."""
        fmt = fmt or self.format
        mine = sorted((r for r in self.renditions if r["format"] == fmt), key=lambda r: r["width"])
        for row in mine:
            if row["width"] >= width:
                return row
        return mine[-1] if mine else None

    def url(self, width=1280, fmt=None):
        row = self.rendition(width, fmt)
        return self._url(row["name"]) if row else self._url(self.original)

    def srcset(self, fmt=None):
        fmt = fmt or self.format
        rows = sorted((r for r in self.renditions if r["format"] == fmt), key=lambda r: r["width"])
        return ", ".join(f"{self._url(r['name'])} {r['width']}w" for r in rows)

    @property
    def webp_srcset(self):
        return self.srcset("WEBP")

    @property
    def fallback_srcset(self):
        return self.srcset(self.format)

    @property
    def markdown(self):
        """What an editor pastes into an article's body to show it."""
        alt = self.alt.replace("]", "").replace("[", "")
        return f"![{alt}]({self.url(1280, 'WEBP')})"


class Author(TimeStampedModel):
    """A byline: the name, bio and links readers see, apart from any login (which may be none)."""

    display_name = models.CharField(max_length=120, help_text="The name printed on bylines.")
    slug = models.SlugField(max_length=120, unique=True, help_text="The address of the author's page.")
    bio = models.TextField(blank=True, help_text="A short bio, Markdown.")
    links = models.TextField(blank=True, help_text="Web addresses (a site, a profile), one a line.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The staff account that writes as this author, if any. Never shown to readers.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("articles:author_detail", args=[self.slug])

    @property
    def bio_html(self):
        return render_markdown(self.bio)

    @property
    def link_list(self):
        return [line for line in split_aliases(self.links) if line.startswith(("https://", "http://"))]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.display_name)[:120] or "author"
        super().save(*args, **kwargs)

    @classmethod
    def for_user(cls, user):
        """The author profile of a staff account, made from its full name on first use (never its login)."""
        profile = cls.objects.filter(user=user).first()
        if profile is None:
            name = user.get_full_name().strip() or "Staff writer"
            slug, n = slugify(name)[:110] or "author", 1
            base = slug
            while cls.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            profile = cls.objects.create(display_name=name, slug=slug, user=user)
        return profile


class Source(TimeStampedModel):
    """An external report we rely on, with who said it and how it reached us."""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", "Press release"
        COMPANY_STATEMENT = "company_statement", "Company statement"
        NEWS_REPORT = "news_report", "News report"
        BLOG_POST = "blog_post", "Blog post"
        FORUM_POST = "forum_post", "Forum or mailing-list post"
        JOURNAL_PAPER = "journal_paper", "Journal paper"
        PREPRINT = "preprint", "Preprint"
        PATENT = "patent", "Patent"
        COURT_FILING = "court_filing", "Court filing"
        GOVERNMENT_RECORD = "government_record", "Government record"
        REGISTRY_FILING = "registry_filing", "Registry filing"
        INTERVIEW = "interview", "Interview"
        VIDEO = "video", "Video"
        OTHER = "other", "Other"

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
    speaker_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
        help_text="The organization speaking in it, when it is in our database. A source is a self-claim for "
        "any claim this organization (or the publisher) is a party of.",
    )
    speaker_person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
        help_text="The person speaking in it, when they are in our database.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    doi = models.CharField(
        max_length=200,
        blank=True,
        help_text="The DOI of a paper, e.g. 10.1016/j.physletb.2010.01.001 (no https://doi.org/).",
    )
    via = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relayed_by",
        help_text="The source this one got it from (e.g. E-Cat World got it via a Vortex-L post).",
    )
    via_text = models.TextField(
        blank=True,
        help_text="Hops that are not sources of ours, earliest first, one a line (e.g. 'Vortex-L mailing-list "
        "post', 'machine translation from Chinese'). They come before the 'via' source in the chain.",
    )
    reliability = models.TextField(blank=True, help_text="Notes on how far to trust it and why (shown to readers).")
    notes = models.TextField(blank=True, help_text="Editors' notes. Never shown to readers.")
    # The address and the DOI as lookups and the duplicate guard compare them (lenrnews.names), kept by save().
    url_key = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    doi_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["url_key", "doi_key"])

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["doi"])]

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
    def text_hops(self):
        return split_aliases(self.via_text)

    @property
    def chain_display(self):
        """'Vortex-L post -> E-Cat World': the hops and publishers it passed through, earliest first."""
        hops = []
        for source in self.chain:
            hops += source.text_hops
            hops.append(source.publisher or source.title)
        return " -> ".join(hops)

    @property
    def speakers(self):
        """Who speaks in it: the organizations and the person a claim's parties are compared with."""
        organizations = {pk for pk in (self.speaker_organization_id, self.publisher_organization_id) if pk}
        return organizations, {self.speaker_person_id} - {None}

    def is_self_claim_for(self, organization_ids, person_ids=()):
        """A self-claim for a claim whose parties are these: one of them speaks in it."""
        organizations, people = self.speakers
        return bool(organizations & set(organization_ids) or people & set(person_ids))

    def clean(self):
        if self.pk is not None and self.pk in self._via_ancestors():
            raise ValidationError({"via": "A source cannot come via itself, directly or through others."})

    def save(self, *args, **kwargs):
        self.url_key = names.url_key(self.url)[:500]
        self.doi_key = names.doi_key(self.doi)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"url_key"} if "url" in update_fields else set()
            derived |= {"doi_key"} if "doi" in update_fields else set()
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    def _via_ancestors(self) -> set[int]:
        """The ids of the sources this one came through, as stored, up to the first repeat."""
        seen: set[int] = set()
        via_id = self.via_id
        while via_id is not None and via_id not in seen:
            seen.add(via_id)
            via_id = Source.objects.filter(pk=via_id).values_list("via_id", flat=True).first()
        return seen


# A request's user: an account or the anonymous reader.
type AnyUser = User | AnonymousUser

# Who sees articles in the admin (writers, editors) also reads them before they are public.
UNPUBLISHED_READER_PERMISSIONS = ("articles.change_article", "articles.view_article")


def can_read_unpublished(user: AnyUser | None) -> bool:
    """Writers and editors: the article change or view permission, as in the admin."""
    return bool(
        user is not None
        and user.is_authenticated
        and any(user.has_perm(permission) for permission in UNPUBLISHED_READER_PERMISSIONS)
    )


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """The one definition of what a reader may see."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def with_bylines(self) -> "ArticleQuerySet":
        """With what a byline prints: the authors in order (and the account, for the newsroom's own pages)."""
        return self.select_related("author", "lead_image").prefetch_related("articleauthor_set__author")

    def visible_to(self, user: AnyUser | None) -> "ArticleQuerySet":
        """What ``user`` may read: every article for writers and editors, ``published()`` for anyone else."""
        return self.all() if can_read_unpublished(user) else self.published()


class Article(TrashableModel, TimeStampedModel):
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
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of",
        help_text="Shown at the top of the article, on cards and when it is shared.",
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", blank=True, related_name="articles", help_text="The bylines, in order."
    )
    byline = models.CharField(
        max_length=200,
        blank=True,
        help_text="A byline with no author profile (e.g. 'Staff and agencies'); the authors' names win when set.",
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
    import_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Where it was imported from ('wordpress:oldsite.example:123' is post 123 of that WordPress site): "
        "importing the same post again finds it.",
    )

    # What search reads, and how much each field weighs (lenrnews/search.py). The result
    # shows the standfirst already: the snippet is cut from the body.
    search_fields = {"title": "A", "standfirst": "B", "body": "C"}
    search_snippet_fields = ["body"]
    # Filled by a database trigger on PostgreSQL (lenrnews.search_migrations); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = LiveManager.from_queryset(ArticleQuerySet)()
    all_objects = SearchableManager.from_queryset(ArticleQuerySet)()
    history = HistoricalRecords(excluded_fields=["body_html", "search_vector"], m2m_fields=[topics, sources])

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article_detail", args=[self.slug])

    # What ``is_public`` reads: an article that stops being public is listed at /api/v1/deletions/ (lenrnews/sync.py).
    public_fields = ["status", "publish_at"]

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at <= timezone.now()
        )

    def is_visible_to(self, user: AnyUser | None) -> bool:
        """This article is in ``Article.objects.visible_to(user)`` (for rows already loaded)."""
        return self.is_public or can_read_unpublished(user)

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def byline_display(self):
        """The names printed as the byline: the authors' display names, else the byline text. Never a login."""
        names = [row.author.display_name for row in self.articleauthor_set.all()]
        if names:
            return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return self.byline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:300]
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        self.body_html = render_markdown(self.body)
        if self.status != self.Status.DRAFT:
            self.review_note = ""  # a note is for a draft sent back: resubmitted, it was answered (history keeps it)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"body_html"} if "body" in update_fields else set()
            derived |= {"review_note"} if "status" in update_fields else set()
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)


class ArticleAuthor(models.Model):
    """One byline of an article, in order."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "byline"
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="one_byline_per_author")]

    def __str__(self):
        return str(self.author)


class Redirect(TimeStampedModel):
    """An address of the site we replaced (a WordPress permalink, ``/?p=123``) that answers 301 with our page.

    It points to the article or topic, not to an address, so it follows a change of slug;
    it answers only while the article is public (``articles.redirects``).
    """

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address without the host, decoded: '/2015/10/e-cat-test/', or '/?p=123' for a "
        "WordPress post id.",
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True, related_name="redirects")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="redirects")

    class Meta:
        ordering = ["old_path"]
        verbose_name = "address on the old site"
        verbose_name_plural = "addresses on the old site"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, topic__isnull=True)
                | models.Q(article__isnull=True, topic__isnull=False),
                name="redirect_to_one_article_or_topic",
                violation_error_message="An address on the old site leads to one article or one topic.",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.article or self.topic}"

    @property
    def target(self):
        return self.article or self.topic


class ArticleInTrash(Article):
    """The Trash: deleted articles, which an editor may restore for 30 days (``purge_trash``)."""

    objects = TrashManager()  # type: ignore[misc,assignment]  # a proxy that sees only the trash

    class Meta:
        proxy = True
        default_manager_name = "objects"
        verbose_name = "article in the trash"
        verbose_name_plural = "trash: articles"


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


class AmbiguousMention(models.Model):
    """A name in the article that several entities share, with nothing in the text to tell which one is meant.

    Detection links none of the candidates and leaves the choice to an editor: picking one
    adds it as a mention (by hand), "none of these" rejects them all. Detection keeps the
    row current; the public page links no occurrence of the name meanwhile.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ambiguous_mentions")
    name = models.CharField(max_length=300, help_text="The name as the article writes it (its first occurrence).")
    key = models.CharField(
        max_length=300, editable=False, help_text="The name as detection compares it (case, spaces and hyphens folded)."
    )
    excerpt = models.CharField(max_length=300, blank=True, help_text="The words around its first occurrence.")
    candidate_organizations = models.ManyToManyField("organizations.Organization", blank=True, related_name="+")
    candidate_people = models.ManyToManyField("organizations.Person", blank=True, related_name="+")
    candidate_technologies = models.ManyToManyField("organizations.Technology", blank=True, related_name="+")

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="one_ambiguous_mention_per_name")]

    def __str__(self):
        return f"“{self.name}” in {self.article}"

    @property
    def candidates(self):
        """The entities the name may mean: organizations, then people, then technologies."""
        return [
            *self.candidate_organizations.all(),
            *self.candidate_people.all(),
            *self.candidate_technologies.all(),
        ]


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


class NoticeQuerySet(models.QuerySet):
    def unread(self) -> "NoticeQuerySet":
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        """Mark these notices read now; return how many were unread."""
        return self.unread().update(read_at=timezone.now())


class Notice(TimeStampedModel):
    """A step of the review workflow told to one person: on their dashboard and by e-mail.

    Made by ``articles.notifications``; read when its recipient dismisses it or opens the article.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who took the step.",
    )
    message = models.TextField(help_text="What the recipient reads: the step, and the editor's note if any.")
    read_at = models.DateTimeField(null=True, blank=True, help_text="When it was dismissed or seen.")
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="When the e-mail went out.")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article} (to {self.recipient})"


# Deleting a topic or a source would silently cut the links to it: refused while there are any.
for _model in (Topic, Source):
    pre_delete.connect(refuse_delete_while_linked, sender=_model, dispatch_uid=f"refuse-delete-{_model.__name__}")
