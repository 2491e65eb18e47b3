"""Building blocks of the REST API shared by every app: the base viewset.

Pagination is in ``lenrnews/pagination.py`` and throttles in ``lenrnews/throttles.py``
(REST_FRAMEWORK settings import them while DRF itself loads).

Every endpoint refuses query parameters it doesn't know (a 400 naming them and listing
the ones it takes) and shows the fields asked for (``fields=``, ``omit=``). A record's
``ETag`` is a digest of its representation: a write sent with ``If-Match`` and an ETag
the record no longer has answers 412, checked with the row locked. The admin's change
forms carry the same digest (``record_version``) and refuse a save over a newer one.

The viewsets live in each app's ``api.py``; the one router that mounts them is
``portal/api.py``.
"""

import hashlib
from typing import ClassVar

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from rest_framework import exceptions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .csv_export import CSVRenderer, stream_csv, wants_csv
from .duplicates import integrity_conflicts
from .models import TrashableModel

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
ID_PATTERN = r"[0-9]+"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This record is referred to by others and cannot be deleted."
    default_code = "protected"

    def __init__(self, detail, referred_to_by):
        super().__init__(detail)
        self.detail = {"detail": self.detail, "referred_to_by": referred_to_by}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record has changed since you read it: its ETag is no longer the one in If-Match. "
        "Read it again, apply your change to what it is now, and send that with the new ETag."
    )
    default_code = "precondition_failed"


# A 409 names this many of the records that refer to the one deleted (and counts them all).
REFERRERS_LISTED = 50

FIELDS_PARAMETER = "fields"
OMIT_PARAMETER = "omit"
ALL_DEFAULT_FIELDS = "*"
WRITE_METHODS = ("PUT", "PATCH", "DELETE")


def _names(request, parameter):
    """The comma-separated names of a repeatable query parameter, in order, empty ones left out."""
    return [
        name.strip() for value in request.query_params.getlist(parameter) for name in value.split(",") if name.strip()
    ]


class StrictQueryMixin:
    """Query parameters an endpoint doesn't take are a 400 naming them, with the ones it takes.

    A list takes its filters, ``page`` and ``page_size``; every endpoint ``fields``,
    ``omit`` and ``format``. A mistyped filter would otherwise be ignored and the client
    would read every row as if it matched.
    """

    def accepted_query_parameters(self):
        names = {FIELDS_PARAMETER, OMIT_PARAMETER, api_settings.URL_FORMAT_OVERRIDE}
        if getattr(self, "action", None) == "list":
            for backend in self.filter_backends:
                parameter_names = getattr(backend(), "parameter_names", None)
                if parameter_names is not None:
                    names |= set(parameter_names(self.request, self.get_queryset(), self))
            paginator = self.paginator
            if paginator is not None:
                names |= {paginator.page_query_param, getattr(paginator, "page_size_query_param", None)}
        return {name for name in names if name}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)

    def perform_content_negotiation(self, request, force=False):
        # DRF answers a ``format`` it has no renderer for with a 404, as if the address were wrong.
        try:
            return super().perform_content_negotiation(request, force=force)
        except Http404:
            formats = sorted({renderer.format for renderer in self.get_renderers()})
            raise exceptions.ValidationError(
                {api_settings.URL_FORMAT_OVERRIDE: [f"Unknown format. This address answers in: {', '.join(formats)}."]}
            ) from None

    def check_query_parameters(self, request):
        accepted = self.accepted_query_parameters()
        unknown = [name for name in request.query_params if name not in accepted]
        if unknown:
            message = f"Unknown parameter. This address takes: {', '.join(sorted(accepted))}."
            raise exceptions.ValidationError({name: [message] for name in unknown})


class FieldSelectionViewMixin:
    """``fields=a,b`` shows only those fields, ``omit=c`` all but those; ``*`` in ``fields`` is the default set.

    The names go to the serializer (``lenrnews.serializers.FieldSelectionMixin``) in its
    context as ``field_names``; a list's default leaves out its serializer's ``list_omit``.
    An unknown name is a 400 listing the fields there are.
    """

    field_names: list[str] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.field_names = self.choose_fields(request)

    def readable_field_names(self):
        serializer_class = self.get_serializer_class()
        serializer = serializer_class(context={**self.get_serializer_context(), "field_names": None})
        return [name for name, field in serializer.fields.items() if not field.write_only]

    def choose_fields(self, request):
        chosen, omitted = _names(request, FIELDS_PARAMETER), _names(request, OMIT_PARAMETER)
        serializer_class = self.get_serializer_class()
        list_omit = getattr(serializer_class, "list_omit", ()) if getattr(self, "action", None) == "list" else ()
        if not chosen and not omitted and not list_omit:
            return None
        available = self.readable_field_names()
        unknown = {
            FIELDS_PARAMETER: [name for name in chosen if name not in available and name != ALL_DEFAULT_FIELDS],
            OMIT_PARAMETER: [name for name in omitted if name not in available],
        }
        errors = {
            parameter: [f"Unknown field(s): {', '.join(names)}. The fields: {', '.join(available)}."]
            for parameter, names in unknown.items()
            if names
        }
        if errors:
            raise exceptions.ValidationError(errors)
        default = [name for name in available if name not in list_omit]
        if chosen:
            wanted = set(default) if ALL_DEFAULT_FIELDS in chosen else set()
            wanted |= set(chosen) - {ALL_DEFAULT_FIELDS}
        else:
            wanted = set(default)
        wanted -= set(omitted)
        if wanted == set(available):
            return None
        return [name for name in available if name in wanted]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context.setdefault("field_names", self.field_names)
        return context


class PerCallerMixin:
    """A GET answer varies with the credentials (an editor may see rows a reader doesn't) and is revalidated."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and wants_csv(request) and hasattr(response, "accepted_renderer"):
            # Errors are JSON, whatever format the rows were asked in.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            anonymous = not (request.user and request.user.is_authenticated)
            patch_cache_control(response, no_cache=True, **({} if anonymous else {"private": True}))
        return response


class APIViewSet(PerCallerMixin, FieldSelectionViewMixin, StrictQueryMixin, viewsets.ModelViewSet):
    """A resource: read by anyone, written with the model permission, looked up by slug.

    GET responses vary with the credentials, since an editor may see rows a reader
    doesn't; their ``ETag`` (computed from the body, so an editor's and a reader's
    differ whenever what they see does) and the 304 for a matching ``If-None-Match``
    come from Django's ConditionalGetMiddleware, as for every page. Writes run in one
    transaction, and the response is the saved row read back through the viewset's
    queryset.
    """

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    # ``updated_since`` lists the rows changed at or after the time given in any of these fields
    # (an article also becomes public at its ``publish_at`` without being saved).
    updated_since_fields: tuple[str, ...] = ("updated_at",)
    # The viewset serving each model (the first one defined for it): ``record_version`` reads records through it.
    serving: ClassVar[dict[type, type["APIViewSet"]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        model = getattr(getattr(cls.serializer_class, "Meta", None), "model", None)
        if model is not None:
            APIViewSet.serving.setdefault(model, cls)

    def get_base_queryset(self):
        """Every row, with what the serializer needs joined or prefetched."""
        return self.queryset.all()

    def get_renderers(self):
        return [*super().get_renderers(), CSVRenderer()]

    def list(self, request, *args, **kwargs):
        if wants_csv(request):
            # Every row the filters select, in the list's order, streamed (no pagination).
            return stream_csv(self, self.filter_queryset(self.get_queryset()), self.basename)
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        """The rows the requesting user may read (all, except for articles: ``visible_to(user)``)."""
        return self.get_base_queryset()

    def initial(self, request, *args, **kwargs):
        # A method this resource doesn't have is a 405 for everyone, before asking who is calling.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    # --- ETags and If-Match ---

    def representation_digest(self, instance, data=None):
        """A digest of the record as this caller reads it, every field included: the base of its ETag.

        ``data``: the record's representation already made with every field, if there is one.
        """
        if data is None:
            context = {**self.get_serializer_context(), "field_names": None}
            data = self.get_serializer_class()(instance, context=context).data
        return hashlib.md5(JSONRenderer().render(data), usedforsecurity=False).hexdigest()

    def etag(self, instance, data):
        """``"<digest>"``, or ``"<digest>.<fields>"`` for a representation with chosen fields (its own validator).

        ``data`` is the representation answered (with the fields chosen).
        """
        digest = self.representation_digest(instance, data if self.field_names is None else None)
        if self.field_names is not None:
            shape = hashlib.md5(",".join(self.field_names).encode(), usedforsecurity=False).hexdigest()[:8]
            digest = f"{digest}.{shape}"
        return quote_etag(digest)

    def check_if_match(self, instance):
        """A stale ``If-Match`` is a 412; ``*`` matches any record (the fields chosen don't count)."""
        etags = parse_etags(self.request.headers["If-Match"])
        if "*" in etags:
            return
        digest = self.representation_digest(instance)
        if not any(etag.strip('"').split(".")[0] == digest for etag in etags if not etag.startswith("W/")):
            raise PreconditionFailed()

    def get_object(self):
        instance = super().get_object()
        if (
            self.request.method in WRITE_METHODS
            and "If-Match" in self.request.headers
            and not getattr(self, "precondition_checked", False)
        ):
            # The row stays locked until the write commits, so of two writes with the same
            # ETag the second reads the first's result and fails the check (on SQLite the
            # transaction's write lock does the same).
            self.precondition_checked = True
            type(instance)._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk").first()
            instance = super().get_object()
            self.check_if_match(instance)
        return instance

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = self.etag(instance, response.data)
        return response

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().update(request, *args, **kwargs)
        response["ETag"] = self.etag(self.saved_instance, response.data)
        return response

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["ETag"] = self.etag(self.saved_instance, response.data)
        return response

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def perform_create(self, serializer):
        with integrity_conflicts(serializer), transaction.atomic():
            serializer.save(**self.get_create_kwargs())
            self.after_save(serializer.instance, created=True)
        serializer.instance = self.object_for_location = self.get_base_queryset().get(pk=serializer.instance.pk)
        self.saved_instance = serializer.instance

    def perform_update(self, serializer):
        with integrity_conflicts(serializer), transaction.atomic():
            serializer.save()
            self.after_save(serializer.instance, created=False)
        serializer.instance = self.saved_instance = self.get_base_queryset().get(pk=serializer.instance.pk)

    def get_success_headers(self, data):
        """``Location`` of a created row: its address in the API (its ``url`` is the public page)."""
        key = getattr(getattr(self, "object_for_location", None), self.lookup_field, None)
        if key is None:
            return {}
        path = reverse(f"api:{self.basename}-detail", kwargs={self.lookup_url_kwarg or self.lookup_field: key})
        return {"Location": self.request.build_absolute_uri(path)}

    def get_create_kwargs(self):
        """Values a new row takes from the request rather than the payload."""
        return {}

    def after_save(self, instance, created):
        """Side effects of a write, inside its transaction."""

    def perform_destroy(self, instance):
        """Deletes, or for an article or a deal moves to the trash; refused (409) while others refer to it."""
        if isinstance(instance, TrashableModel):
            instance.trash()
            return
        try:
            with transaction.atomic():
                instance.delete()
        except (ProtectedError, RestrictedError) as error:
            records = sorted(error.args[1], key=lambda obj: (str(obj._meta.verbose_name), obj.pk))
            referrers = sorted({str(obj._meta.verbose_name) for obj in records})
            raise Conflict(
                f"This record cannot be deleted: {len(records)} other record(s) refer to it "
                f"({', '.join(referrers)}). Remove those references first.",
                [{"type": str(obj._meta.verbose_name), "name": str(obj)} for obj in records[:REFERRERS_LISTED]],
            ) from error


def viewset_serving(model):
    """The API's viewset for the records of ``model``, or None."""
    return APIViewSet.serving.get(model._meta.concrete_model)


def record_version(request, instance):
    """The version of a record as ``request``'s user reads it in the API: the digest its ``ETag`` is made of.

    None for a record of a model the API does not serve. The admin's change forms carry it
    (``lenrnews.stale_edits``), so that both doors refuse a write over a change made since.
    """
    viewset_class = viewset_serving(type(instance))
    if viewset_class is None:
        return None
    api_request = Request(request)
    api_request.user = request.user  # the caller signed in to the admin, not a token's
    view = viewset_class(request=api_request, args=(), kwargs={}, format_kwarg=None, action="retrieve")
    row = view.get_base_queryset().filter(pk=instance.pk).first()
    return None if row is None else view.representation_digest(row)
