"""Site-wide building blocks: timestamps, confidence and date precision, the trash, the record of deletions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class Confidence(models.TextChoices):
    """How sure we are of a claim, from surest to least."""

    CONFIRMED = "confirmed", "Confirmed"
    REPORTED = "reported", "Reported"
    RUMORED = "rumored", "Rumored"
    DISPUTED = "disputed", "Disputed"
    DENIED = "denied", "Denied"

    @classmethod
    def at_least(cls, level):
        """The levels as sure as ``level`` or surer (``min_confidence`` filters)."""
        values = cls.values
        return values[: values.index(level) + 1]


# What each level means: the badges' tooltips and the editors' help text both read it.
CONFIDENCE_GLOSSARY = {
    Confidence.CONFIRMED: "on the record from the parties or documents",
    Confidence.REPORTED: "a named source says so, not independently checked",
    Confidence.RUMORED: "unconfirmed talk, a single anonymous or second-hand report",
    Confidence.DISPUTED: "sources contradict each other",
    Confidence.DENIED: "a party has denied it",
}
CONFIDENCE_HELP = "How sure we are. " + " ".join(
    f"{level.label}: {meaning}." for level, meaning in CONFIDENCE_GLOSSARY.items()
)


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


DATE_PRECISION_HELP = (
    "How much of the date is known. For 'sometime in 2015' enter 1 January 2015 with "
    "precision Year; for 'October 2015' enter 1 October 2015 with precision Month."
)


def format_partial_date(value, precision):
    """'20 Oct 2015', 'Oct 2015' or '2015', as far as the date is known."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%b %Y")
    return f"{value.day} {value.strftime('%b %Y')}"


def split_aliases(text):
    """Aliases are kept one a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SearchableManager(models.Manager):
    """The manager of a model with a stored ``search_vector``: rows are read without it.

    Only the database reads the vector (to match and rank); loading it would copy a
    few kilobytes per article into every page. Use ``from_queryset`` for a custom
    queryset.
    """

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


class LiveManager(SearchableManager):
    """The default manager of a model with a trash: rows in the trash are hidden everywhere."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class TrashManager(SearchableManager):
    """The rows in the trash only: the default manager of a model's Trash proxy."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=False)


class TrashableModel(models.Model):
    """A record that deleting moves to the trash, where an editor may restore it from.

    ``objects`` (a :class:`LiveManager`) hides the trash; ``all_objects`` sees it. A record
    in the trash keeps its slug, so restoring it is always possible; ``purge_trash``
    deletes it for good after 30 days.
    """

    deleted_at = models.DateTimeField(
        null=True, blank=True, editable=False, db_index=True, help_text="When it was moved to the trash."
    )

    class Meta:
        abstract = True

    @property
    def in_trash(self):
        return self.deleted_at is not None

    def trash(self):
        self.deleted_at = timezone.now()
        self.save(update_fields=_with_updated_at(self, ["deleted_at"]))
        Deletion.record(self, kind=Deletion.Kind.TRASHED, at=self.deleted_at)

    def restore(self):
        self.deleted_at = None
        # A restored record is changed (``updated_since`` lists it again) and no longer deleted.
        self.save(update_fields=_with_updated_at(self, ["deleted_at"]))
        Deletion.forget(self, kind=Deletion.Kind.TRASHED)

    def validate_unique(self, exclude=None):
        # The default manager, which Django's check reads, hides the trash, where a record still holds its slug.
        super().validate_unique(exclude)
        if exclude is None or "slug" not in exclude:
            model = type(self)
            if model._base_manager.filter(slug=self.slug, deleted_at__isnull=False).exclude(pk=self.pk).exists():
                raise ValidationError({"slug": self.unique_error_message(model, ["slug"])})


def records_linking_to(obj) -> list[models.Model]:
    """The records that would silently lose their link to ``obj`` if it were deleted.

    Many-to-many links (a topic's articles, a source's citing articles and claims) and
    nullable references (the sources that came *via* it), in the trash or not. Deleting
    ``obj`` is refused while there are any, as ``PROTECT`` refuses it for a foreign key.
    """
    linking = []
    for relation in obj._meta.related_objects:
        if relation.many_to_many or getattr(relation, "on_delete", None) is models.SET_NULL:
            rows = relation.related_model._base_manager.filter(**{relation.field.name: obj})
            linking.extend(rows.order_by("pk").distinct())
    return linking


def refuse_delete_while_linked(sender, instance, **kwargs):
    """A ``pre_delete`` receiver: deleting a record others link to raises ``ProtectedError`` listing them."""
    linking = records_linking_to(instance)
    if linking:
        raise models.ProtectedError(
            f"Cannot delete {instance._meta.verbose_name} “{instance}”: {len(linking)} record(s) refer to it.",
            linking,
        )


def _with_updated_at(obj, update_fields):
    """``update_fields`` and the record's ``updated_at``, which ``auto_now`` fills only when it is saved."""
    names = {field.name for field in obj._meta.concrete_fields}
    return [*update_fields, "updated_at"] if "updated_at" in names else update_fields


def touch(model, pks):
    """Mark records changed now (``updated_at``) without saving them: a link of theirs was added or removed."""
    if pks and "updated_at" in {field.name for field in model._meta.concrete_fields}:
        model._base_manager.filter(pk__in=list(pks)).update(updated_at=timezone.now())


class Deletion(models.Model):
    """A record that went away, for API clients that mirror the database (``/api/v1/deletions/``).

    Written when a record that keeps revisions is deleted for good, moved to the trash,
    or (an article) stops being public; forgotten when it is restored or public again.
    """

    class Kind(models.TextChoices):
        DELETED = "deleted", "Deleted for good"
        TRASHED = "trashed", "Moved to the trash"
        WITHDRAWN = "withdrawn", "No longer public"

    model = models.CharField(max_length=100, help_text="The record's model, as app_label.model_name.")
    object_id = models.CharField(max_length=64)
    slug = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    public = models.BooleanField(default=True, help_text="Readers could see the record when it went.")
    deleted_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["deleted_at", "pk"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self):
        return (
            f"{self.model} {self.slug or self.object_id} ({self.get_kind_display()} {self.deleted_at:%Y-%m-%d %H:%M})"
        )

    @staticmethod
    def label(obj):
        return obj._meta.concrete_model._meta.label_lower

    @classmethod
    def record(cls, obj, *, kind, at=None, public=None):
        if public is None:
            public = getattr(obj, "is_public", True)
        return cls.objects.create(
            model=cls.label(obj),
            object_id=str(obj.pk),
            slug=getattr(obj, "slug", "") or "",
            kind=kind,
            public=public,
            deleted_at=at or timezone.now(),
        )

    @classmethod
    def forget(cls, obj, *, kind):
        cls.objects.filter(model=cls.label(obj), object_id=str(obj.pk), kind=kind).delete()


class EntityName(models.Model):
    """One key an organization, person or technology is found under: its name's or one alias's.

    Kept by ``lenrnews.names`` (rewritten on each save), read by the exact lookups
    (``?name=``, ``?alias=``) and the duplicate guards, so neither reads every name.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=200, help_text="The name without case, accents, punctuation or spaces.")
    is_alias = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["content_type", "key"], name="entity_name_key"),
            models.Index(fields=["content_type", "object_id"], name="entity_name_object"),
        ]

    def __str__(self):
        return self.key


class SlugHistory(models.Model):
    """An address a public entity had: its old slug answers 301 to where it is now (``lenrnews.slugs``).

    Written when a slug changes (an edit or a merge); the old value of a record without
    a slug (a source's id) is kept the same way.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    old_slug = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "old_slug"], name="one_owner_per_old_slug"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="slug_history_object")]

    def __str__(self):
        return self.old_slug
