"""Serializer building blocks shared by every app's API.

Related entities read as compact objects (``slug``, ``name``, ``url`` of the public
page) and are written by slug; sources read as compact objects with their chain and
are written by id; aliases are a list of strings.
"""

import copy
import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from lenrnews.models import split_aliases
from lenrnews.rest import SLUG_PATTERN, can_see_unpublished

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
    """A related entity: read as ``{slug, name, url}``, written by its slug."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # Only a well-formed slug reaches the database (PostgreSQL refuses NUL bytes with an error, not a miss).
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:100])
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return compact(obj, self.context.get("request"))


class ArticleRelatedField(CompactRelatedField):
    """One of our articles, written by slug: only the articles the caller may read can be named."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if can_see_unpublished(getattr(request, "user", None)):
            return queryset
        return queryset.published()


class VisibleArticlesField(serializers.ManyRelatedField):
    """A list of our articles that never shows a reader a draft or a scheduled article.

    The viewsets prefetch only the published ones already; this keeps the rule even
    where a queryset forgot to.
    """

    def get_attribute(self, instance):
        articles = super().get_attribute(instance)
        request = self.context.get("request")
        if can_see_unpublished(getattr(request, "user", None)):
            return articles
        return [article for article in articles if article.is_public]


def visible_articles_field(queryset, **kwargs):
    return VisibleArticlesField(child_relation=ArticleRelatedField(queryset=queryset), required=False, **kwargs)


def compact_source(source, request=None):
    """A source with who said it and the chain it reached us through."""
    chain = source.chain
    return {
        "id": source.pk,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "published_precision": source.published_precision,
        "published_display": source.published_display,
        "attributed_to": source.attributed_to,
        "self_claim": source.self_claim,
        "confidence": source.confidence,
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
    self_claim = serializers.BooleanField()
    confidence = serializers.CharField()
    via = ViaSerializer(many=True, help_text="The sources it came through, earliest first.")
    chain_display = serializers.CharField(help_text="'Vortex-L -> E-Cat World'.")


class SourceRelatedField(serializers.PrimaryKeyRelatedField):
    """A cited source: read as a compact object, written by id."""

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, value):
        return compact_source(value, self.context.get("request"))


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
        many_to_many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
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
            if self.Meta.model._default_manager.filter(slug=slug).exists():
                raise serializers.ValidationError(
                    {"slug": [f"The slug {slug!r} made from the {self.slug_from} is taken: give another slug."]}
                )
            attrs["slug"] = slug
        return attrs
