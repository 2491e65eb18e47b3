"""Serializer building blocks shared by every app's API.

Related entities read as compact objects (``slug``, ``name``, ``url`` of the public
page) and are written by slug or as such an object; sources read as compact objects
with their chain and are written by id or as an object with its ``id``; aliases are a
list of strings; partial dates are written "2015", "2015-05" or "2015-05-20". So a
client may write back what it read.

``APIModelSerializer`` is the base of every resource's serializer: it refuses fields it
does not know and changes to read-only ones (a 400 naming them), builds the partial
dates, and shows only the fields the request asks for (``fields=``/``omit=``).
"""

import copy
import json
import re
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from lenrnews.models import DatePrecision, split_aliases
from lenrnews.partial_dates import (
    PARTIAL_DATE_HINT,
    PARTIAL_DATE_WRITTEN,
    parse_partial_date,
    partial_date_pairs,
    resolve_precision,
)
from lenrnews.rest import SLUG_PATTERN

SLUG = re.compile(SLUG_PATTERN)


def absolute_url(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def compact(obj, request):
    """``{slug, name, url}``: enough to show and link a related entity (name is the title of articles and deals)."""
    return {"slug": obj.slug, "name": str(obj), "url": absolute_url(request, obj.get_absolute_url())}


@extend_schema_field(OpenApiTypes.URI)
class PublicURLField(serializers.Field):
    """The absolute address of the entity's public page."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Its public page.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute_url(self.context.get("request"), value.get_absolute_url())


class CompactSerializer(serializers.Serializer):
    """The schema of a related entity as it is read."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.URLField(help_text="Its public page.")


class CompactRelatedField(serializers.SlugRelatedField):
    """A related entity: read as ``{slug, name, url}``, written by its slug or as that object (its ``slug`` counts)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and "slug" in data:
            data = data["slug"]
        # Only a well-formed slug reaches the database (PostgreSQL refuses NUL bytes with an error, not a miss).
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:100])
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return compact(obj, self.context.get("request"))


class ArticleRelatedField(CompactRelatedField):
    """One of our articles, written by slug: only the articles the caller may read can be named."""

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(getattr(request, "user", None))


class VisibleArticlesField(serializers.ManyRelatedField):
    """A list of our articles that never shows a reader a draft or a scheduled article.

    The viewsets prefetch only ``Article.objects.visible_to(user)`` already; this keeps
    the rule even where a queryset forgot to.
    """

    def get_attribute(self, instance):
        articles = super().get_attribute(instance)
        user = getattr(self.context.get("request"), "user", None)
        return [article for article in articles if article.is_visible_to(user)]


def visible_articles_field(queryset, **kwargs):
    return VisibleArticlesField(child_relation=ArticleRelatedField(queryset=queryset), required=False, **kwargs)


def compact_source(source, request=None, claim=None):
    """A source with who said it and the chain it reached us through; ``self_claim`` when cited for ``claim``."""
    chain = source.chain
    party_ids = getattr(claim, "party_ids", None)
    return {
        "id": source.pk,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "published_precision": source.published_precision,
        "published_display": source.published_display,
        "attributed_to": source.attributed_to,
        "kind": source.kind,
        "doi": source.doi,
        "self_claim": source.is_self_claim_for(*party_ids()) if party_ids else None,
        "via": [{"id": s.pk, "title": s.title, "publisher": s.publisher, "url": s.url} for s in chain[:-1]],
        "chain_display": source.chain_display,
    }


class ViaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    url = serializers.CharField(help_text="The address of the report; may be empty.")


class CompactSourceSerializer(serializers.Serializer):
    """The schema of a cited source as it is read."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="The address of the report; may be empty.")
    publisher = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    published_precision = serializers.ChoiceField(choices=["day", "month", "year"])
    published_display = serializers.CharField()
    attributed_to = serializers.CharField()
    kind = serializers.CharField(help_text="press_release, news_report, journal_paper, court_filing...")
    doi = serializers.CharField()
    self_claim = serializers.BooleanField(
        allow_null=True,
        help_text="A party of the claim it is cited for speaks in it (null where it is cited for no claim).",
    )
    via = ViaSerializer(many=True, help_text="The sources it came through, earliest first.")
    chain_display = serializers.CharField(help_text="'Vortex-L -> E-Cat World'.")


class ClaimSourcesField(serializers.ManyRelatedField):
    """A claim's sources: each knows the claim it is read for (to say whether it is a self-claim for it)."""

    def get_attribute(self, instance):
        self.child_relation.claim = instance
        return super().get_attribute(instance)


class SourceRelatedField(serializers.PrimaryKeyRelatedField):
    """A cited source: read as a compact object, written by id or as that object (its ``id`` counts)."""

    claim = None

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return ClaimSourcesField(**list_kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and "id" in data:
            data = data["id"]
        return super().to_internal_value(data)

    def to_representation(self, value):
        return compact_source(value, self.context.get("request"), self.claim)


class PrivateNotesMixin:
    """Editors' ``notes`` are read only by API clients who may change the record; never by readers."""

    def get_fields(self):
        fields = super().get_fields()
        if "notes" in fields:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            opts = self.Meta.model._meta
            permission = f"{opts.app_label}.change_{opts.model_name}"
            if user is None or not user.is_authenticated or not user.has_perm(permission):
                fields.pop("notes")
        return fields


class AliasesField(serializers.ListField):
    """Other names, a list of strings (stored one a line)."""

    child = serializers.CharField(max_length=200)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Other names, used by search and mention detection.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return split_aliases(value)

    def to_internal_value(self, data):
        aliases = super().to_internal_value(data)
        if any("\n" in alias or "\r" in alias for alias in aliases):
            raise serializers.ValidationError("An alias cannot contain a line break: give one alias per item.")
        return "\n".join(aliases)


class ModelRulesMixin:
    """Validates with the model's ``clean()`` and ``Meta.constraints``.

    The database would refuse what they forbid with an IntegrityError (a 500); checked
    here, it is a 400 naming the field, before anything is written.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        try:
            instance.clean()
            instance.validate_constraints()
        except DjangoValidationError as error:
            detail = serializers.as_serializer_error(error)
            if NON_FIELD_ERRORS in detail:
                detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
            raise serializers.ValidationError(detail) from error
        return attrs


class SlugFromNameMixin:
    """The slug may be left out: it is made from the name (or title), and must still be free."""

    slug_from = "name"

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and not attrs.get("slug"):
            slug = slugify(attrs.get(self.slug_from, ""))[: self.Meta.model._meta.get_field("slug").max_length]
            if not slug:
                raise serializers.ValidationError(
                    {"slug": [f"Give a slug: none can be made from the {self.slug_from}."]}
                )
            # The base manager sees every row, those in the trash too (they keep their slugs).
            if self.Meta.model._base_manager.filter(slug=slug).exists():
                raise serializers.ValidationError(
                    {"slug": [f"The slug {slug!r} made from the {self.slug_from} is taken: give another slug."]}
                )
            attrs["slug"] = slug
        return attrs


class PartialDateField(serializers.Field):
    """A date with its precision: written "2015", "2015-05" or "2015-05-20", which sets both; read as a full date.

    The precision field may be written too, saying less than the date (``"2015-10-01"``
    with ``"month"``), never more (``lenrnews.partial_dates.resolve_precision``).
    """

    default_error_messages = {"invalid": PARTIAL_DATE_HINT}

    def __init__(self, *, precision_field, **kwargs):
        self.precision_field = precision_field
        kwargs.setdefault("help_text", f"{PARTIAL_DATE_WRITTEN} Sets {precision_field} too.")
        super().__init__(source="*", **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.date_attr = field_name

    def to_representation(self, value):
        date = value.get(self.date_attr) if isinstance(value, Mapping) else getattr(value, self.date_attr)
        return date.isoformat() if date else None

    def run_validation(self, data=empty):
        if data is None or data == "":
            if not self.allow_null:
                self.fail("null")
            return {self.date_attr: None}
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        initial = getattr(self.parent, "initial_data", None)
        given = initial.get(self.precision_field) if isinstance(initial, Mapping) else None
        try:
            value, typed = parse_partial_date(data)
            precision = resolve_precision(typed, given if given in DatePrecision.values else None, data.strip())
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return {self.date_attr: value, self.precision_field: precision}


def _as_json(value):
    """A value as a client reads it back (dates as strings, decimals as strings; null stays null)."""
    if value is None:
        # The renderer makes an empty body of None, which is no JSON.
        return None
    return json.loads(JSONRenderer().render(value))


def _is_root(serializer):
    parent = serializer.parent
    return parent is None or (isinstance(parent, serializers.ListSerializer) and parent.parent is None)


class FieldSelectionMixin:
    """Shows only the fields the request chose (``fields=``, ``omit=``): the viewset puts their names in the
    context as ``field_names`` (None: every field). Nested serializers show all of theirs."""

    # Fields a list leaves out unless ``fields=`` names them (an article's body).
    list_omit: tuple[str, ...] = ()

    @property
    def _readable_fields(self):
        names = self.context.get("field_names") if _is_root(self) else None
        for field in super()._readable_fields:
            if names is None or field.field_name in names:
                yield field


# Keys a browser's form adds to what it posts.
FORM_KEYS = {"csrfmiddlewaretoken"}


class StrictWritesMixin:
    """A write naming a field the resource doesn't have, or changing a read-only one, is a 400 naming it.

    A read-only field sent with the value it has is accepted (and ignored), so a client
    may send back what it read.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and _is_root(self):
            self._refuse_unknown_and_read_only(data)
        return super().to_internal_value(data)

    def _refuse_unknown_and_read_only(self, data):
        fields = self.fields
        writable = sorted(name for name, field in fields.items() if not field.read_only)
        errors = {}
        current = None
        for key in data:
            if key in FORM_KEYS:
                continue
            field = fields.get(key)
            if field is None:
                errors[key] = [f"Unknown field. The fields you may write: {', '.join(writable)}."]
            elif field.read_only:
                if self.instance is not None and current is None:
                    current = _as_json(type(self)(self.instance, context={**self.context, "field_names": None}).data)
                if current is None or key not in current:
                    errors[key] = ["This field is read-only: leave it out."]
                elif _as_json(data[key]) != current[key]:
                    now = current[key]
                    shown = f" (it is {json.dumps(now)} now)" if not isinstance(now, list | dict) else ""
                    errors[key] = [
                        f"This field is read-only and what you sent is not its value{shown}: leave it out, "
                        "or send the record as it reads now (a copy read before its last change is stale)."
                    ]
        if errors:
            raise serializers.ValidationError(errors)


class APIModelSerializer(StrictWritesMixin, FieldSelectionMixin, serializers.ModelSerializer):
    """The base of every resource's serializer: strict writes, partial dates, chosen fields."""

    def get_fields(self):
        fields = super().get_fields()
        for date, precision in partial_date_pairs(self.Meta.model).items():
            field = fields.get(date)
            if isinstance(field, serializers.DateField) and precision in fields:
                fields[date] = PartialDateField(
                    precision_field=precision,
                    required=field.required,
                    allow_null=field.allow_null,
                    read_only=field.read_only,
                    help_text=f"{field.help_text + ' ' if field.help_text else ''}{PARTIAL_DATE_WRITTEN} "
                    f"Sets {precision} too.",
                )
        return fields


class DeletionSerializer(FieldSelectionMixin, serializers.Serializer):
    """A record that went away: its resource, its key there, how and when."""

    type = serializers.SerializerMethodField(help_text="The resource it was in: articles, organizations...")
    slug = serializers.SerializerMethodField(help_text="Its slug, for the resources looked up by slug (else null).")
    id = serializers.SerializerMethodField(help_text="Its id, for the resources looked up by id (else null).")
    kind = serializers.ChoiceField(
        choices=[
            ("deleted", "Deleted for good."),
            ("trashed", "Moved to the trash: an editor may restore it (it is then changed again)."),
            ("withdrawn", "No longer public: an article unpublished or rescheduled."),
        ],
    )
    deleted_at = serializers.DateTimeField()

    def _resource(self, deletion):
        return self.context["resources"][deletion.model]

    def get_type(self, deletion) -> str:
        return self._resource(deletion).prefix

    def get_slug(self, deletion) -> str | None:
        return deletion.slug if self._resource(deletion).lookup_field == "slug" else None

    def get_id(self, deletion) -> int | None:
        return int(deletion.object_id) if self._resource(deletion).lookup_field != "slug" else None
