"""How the OpenAPI schema describes our fields and our errors (drf-spectacular).

Every operation documents the errors it can answer with, so a client (and the
schemathesis run in the test suite) can rely on the schema for every response.
"""

import django_filters
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from lenrnews.filters import IntegerFilter
from lenrnews.serializers import CompactSerializer, CompactSourceSerializer


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


FIELD_ERRORS = {
    "type": "object",
    "description": "Each invalid field or query parameter, with its messages "
    "(`non_field_errors` for errors across fields).",
    "additionalProperties": {},
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}


class AutoSchema(openapi.AutoSchema):
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
            error("400", "A filter or page parameter that doesn't parse, named.", FIELD_ERRORS)
        if path_has_lookup or self.method == "GET":
            error("404", "No such record, or a page past the end.")
        if self.method in ("POST", "PUT", "PATCH"):
            error("400", "The payload fails validation: field errors; nothing was saved.", FIELD_ERRORS)
            error("415", "The payload is not JSON (or form data).")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            error("401", "No credentials, or a wrong token.")
            error("403", "The account lacks the permission.")
        if self.method == "DELETE":
            error("409", "Other records refer to it: it cannot be deleted.")
        error("406", "The Accept header asks for a format we don't serve.")
        error("429", "Too many requests: wait the seconds in Retry-After.")
        responses["429"].setdefault("headers", RETRY_AFTER)
        return responses


class CompactRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Read as ``{slug, name, url}``, written as the slug."""

    target_class = "lenrnews.serializers.CompactRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "A slug."}
        return auto_schema.resolve_serializer(CompactSerializer, direction).ref


class SourceRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Read as a compact source, written as its id."""

    target_class = "lenrnews.serializers.SourceRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        return auto_schema.resolve_serializer(CompactSourceSerializer, direction).ref


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
            if isinstance(filter_field, IntegerFilter):
                schema["type"] = "integer"
            if isinstance(filter_field, django_filters.NumberFilter):
                for bound, key in (("min_value", "minimum"), ("max_value", "maximum")):
                    if filter_field.extra.get(bound) is not None:
                        schema[key] = filter_field.extra[bound]
        return parameters
