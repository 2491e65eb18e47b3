"""How the OpenAPI schema describes our fields, our errors and who may call (drf-spectacular).

Every operation documents the errors it can answer with, so a client (and the
schemathesis run in the test suite) can rely on the schema for every response. Reads
declare that no credentials are needed (an empty security alternative); a filter
parameter says what it accepts (a slug's pattern, a text's length, whole numbers).
Every operation takes ``fields`` and ``omit`` (so no field of a response is required),
writes ``If-Match`` (412 when stale), and related records are written as they are read.
"""

import django_filters
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_parameter_type, force_instance
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

from lenrnews.filters import EntityFilter, IntegerFilter
from lenrnews.partial_dates import PARTIAL_DATE_PATTERN, PARTIAL_DATE_WRITTEN
from lenrnews.rest import (
    ALL_DEFAULT_FIELDS,
    FIELDS_PARAMETER,
    OMIT_PARAMETER,
    WRITE_METHODS,
    APIViewSet,
    FieldSelectionViewMixin,
)
from lenrnews.serializers import CompactSerializer, CompactSourceSerializer, FieldSelectionMixin


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


class CandidateSerializer(serializers.Serializer):
    slug = serializers.CharField(required=False, help_text="Its slug (a source has an id instead).")
    id = serializers.IntegerField(required=False, help_text="A source's id.")
    name = serializers.CharField()
    url = serializers.URLField(help_text="Its public page (a source's API address).")
    matched = serializers.CharField(help_text="What the two share: 'alias “IH”', 'address “...”'...")


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    candidates = CandidateSerializer(many=True, required=False, help_text="The stored records it may duplicate.")
    referred_to_by = serializers.ListField(child=serializers.DictField(), required=False)
    hint = serializers.CharField(required=False)


FIELD_ERRORS = {
    "type": "object",
    "description": "Each invalid field or query parameter, with its messages "
    "(`non_field_errors` for errors across fields).",
    "additionalProperties": {},
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}


SLUG_SCHEMA_PATTERN = r"^[-a-zA-Z0-9_]+$"
# Django's text fields refuse the NUL character (a 400).
TEXT_SCHEMA_PATTERN = "^[^\x00]*$"


ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "The record's version as you read it: send it back in If-Match to write only over this version.",
    }
}


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if isinstance(self.view, FieldSelectionViewMixin):
            parameters += self._field_selection_parameters()
        if isinstance(self.view, APIViewSet) and self.method in WRITE_METHODS:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The ETag of the version you read: if the record has changed since, nothing is "
                    "written and the answer is 412.",
                )
            )
        return parameters

    def _field_selection_parameters(self):
        serializer = self._get_serializer()
        serializer = getattr(serializer, "child", serializer)
        if serializer is None or not hasattr(serializer, "fields"):
            return []
        names = [name for name, field in serializer.fields.items() if not field.write_only]
        list_omit = getattr(serializer, "list_omit", ()) if self._is_list_view() else ()
        default = (
            f" A list leaves out {', '.join(list_omit)} unless `fields` names them (`fields=*,{list_omit[0]}`)."
            if list_omit
            else ""
        )
        schema = {"type": "array", "items": {"type": "string", "enum": [ALL_DEFAULT_FIELDS, *names]}}
        return [
            OpenApiParameter(
                FIELDS_PARAMETER,
                schema,
                explode=False,
                description="Only these fields, comma-separated (`*`: the default ones). An unknown name is a 400."
                + default,
            ),
            OpenApiParameter(
                OMIT_PARAMETER,
                {"type": "array", "items": {"type": "string", "enum": names}},
                explode=False,
                description="Every field but these, comma-separated. An unknown name is a 400.",
            ),
        ]

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and isinstance(force_instance(serializer), FieldSelectionMixin):
            # Any field may be left out with fields= or omit= (and a list leaves some out by default).
            schema.pop("required", None)
        return schema

    def get_auth(self):
        """Token or session, and for reads that anyone may make, no credentials at all (``{}``)."""
        auths = super().get_auth()
        anonymous_reads = any(
            isinstance(permission, permissions.DjangoModelPermissionsOrAnonReadOnly)
            for permission in self.view.get_permissions()
        )
        if anonymous_reads and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)

        def error(code, description, schema=None):
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {
                        "application/json": {
                            "schema": schema or self.resolve_serializer(ErrorSerializer, direction).ref
                        }
                    },
                },
            )

        path_has_lookup = "{" in self.path
        if self.method == "GET" and not path_has_lookup and self._is_list_view():
            error(
                "400",
                "A filter or page parameter that doesn't parse, or one this list doesn't take, named.",
                FIELD_ERRORS,
            )
        error(
            "400",
            "A query parameter this address doesn't take, or an unknown field in fields/omit, named.",
            FIELD_ERRORS,
        )
        if self.method == "GET" and path_has_lookup and "200" in responses:
            responses["200"].setdefault("headers", ETAG_HEADER)
        if path_has_lookup or self.method == "GET":
            error("404", "No such record, or a page past the end.")
        if path_has_lookup and self.method == "GET":
            responses.setdefault(
                "301",
                {
                    "description": "A former slug (or a merged source's id): Location is its current address.",
                    "headers": {"Location": {"schema": {"type": "string"}, "description": "Where it is now."}},
                },
            )
        if self.method in ("POST", "PUT", "PATCH"):
            error("400", "The payload fails validation: field errors; nothing was saved.", FIELD_ERRORS)
            error("415", "The payload is not JSON (or form data).")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            error("401", "No credentials, or a wrong token.")
            error("403", "The account lacks the permission.")
        if self.method == "DELETE":
            error("409", "Other records refer to it: it cannot be deleted.", self._conflict(direction))
        if self.method in ("POST", "PUT", "PATCH"):
            error(
                "409",
                "Created, it would look like a stored record (the candidates; send confirm_distinct: true to create "
                "it anyway), or a slug it takes was taken at the same moment. Nothing was saved.",
                self._conflict(direction),
            )
        if self.method in WRITE_METHODS and isinstance(self.view, APIViewSet):
            error("412", "If-Match names a version the record no longer has: read it again; nothing was written.")
        error("406", "The Accept header asks for a format we don't serve.")
        error("429", "Too many requests: wait the seconds in Retry-After.")
        responses["429"].setdefault("headers", RETRY_AFTER)
        return responses

    def _conflict(self, direction):
        return self.resolve_serializer(ConflictSerializer, direction).ref


class CompactRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Read as ``{slug, name, url}``, written as the slug."""

    target_class = "lenrnews.serializers.CompactRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            slug = {"type": "string", "pattern": SLUG_SCHEMA_PATTERN}
            return {
                "oneOf": [slug, {"type": "object", "properties": {"slug": slug}, "required": ["slug"]}],
                "description": "A slug, or the object read (its slug counts).",
            }
        return auto_schema.resolve_serializer(CompactSerializer, direction).ref


class SourceRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Read as a compact source, written as its id."""

    target_class = "lenrnews.serializers.SourceRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            source_id = build_basic_type(OpenApiTypes.INT)
            return {
                "oneOf": [source_id, {"type": "object", "properties": {"id": source_id}, "required": ["id"]}],
                "description": "A source id, or the object read (its id counts).",
            }
        return auto_schema.resolve_serializer(CompactSourceSerializer, direction).ref


class PartialDateFieldExtension(OpenApiSerializerFieldExtension):
    """Written as far as the date is known ("2015", "2015-05", "2015-05-20"), read as a full date."""

    target_class = "lenrnews.serializers.PartialDateField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "pattern": PARTIAL_DATE_PATTERN, "description": PARTIAL_DATE_WRITTEN}
        return build_basic_type(OpenApiTypes.DATE)


class FilterExtension(DjangoFilterExtension):
    """django-filter parameters, with the bounds and types our filters enforce.

    drf-spectacular guesses ``number`` for every number filter and ``string`` for a
    choice filter whose choices are integers; the schema should say what a value
    must be to avoid a 400.
    """

    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        # Describing a filter builds its form field and caches it on the FilterSet *class*,
        # before any FilterSet has bound its model: every page built afterwards would show
        # unlabelled controls. Drop what describing it cached.
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        filters = filterset_class.base_filters.values() if filterset_class else []
        uncached = [f for f in filters if "_field" not in f.__dict__]
        try:
            return super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        finally:
            for filter_ in uncached:
                filter_.__dict__.pop("_field", None)

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, django_filters.TypedChoiceFilter) and filter_field.extra.get("coerce") is int:
            # A month or similar: whole numbers from its choices (drf-spectacular would guess strings).
            return [
                build_parameter_type(
                    name=field_name,
                    required=filter_field.extra["required"],
                    location=OpenApiParameter.QUERY,
                    description=str(filter_field.extra.get("help_text") or filter_field.label or field_name),
                    schema={"type": "integer"},
                    enum=sorted(value for value, _ in filter_field.extra["choices"]),
                )
            ]
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "array":
                schema = schema["items"]
            target = _slug_field(filter_field)
            if target is not None:
                schema.update(pattern=SLUG_SCHEMA_PATTERN, maxLength=target.max_length)
            elif isinstance(filter_field, EntityFilter):
                # A name, an alias or a slug: any text, as long as a name may be.
                schema["maxLength"] = filter_field.field.max_length
            elif isinstance(filter_field, django_filters.CharFilter):
                schema["pattern"] = TEXT_SCHEMA_PATTERN
                if filter_field.extra.get("max_length"):
                    schema["maxLength"] = filter_field.extra["max_length"]
            if isinstance(filter_field, IntegerFilter):
                schema["type"] = "integer"
            if isinstance(filter_field, django_filters.NumberFilter):
                for bound, key in (("min_value", "minimum"), ("max_value", "maximum")):
                    if filter_field.extra.get(bound) is not None:
                        schema[key] = filter_field.extra[bound]
        return parameters


def _slug_field(filter_field):
    """The slug field a filter takes a value of (a related entity by slug), or None."""
    if not isinstance(filter_field, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
        return None
    to_field_name = filter_field.extra.get("to_field_name")
    model = filter_field.extra["queryset"].model if filter_field.extra.get("queryset") is not None else None
    if model is None or not to_field_name:
        return None
    field = model._meta.get_field(to_field_name)
    return field if isinstance(field, models.SlugField) else None
