"""Building blocks of the REST API shared by every app: the base viewset.

Pagination is in ``lenrnews/pagination.py`` and throttles in ``lenrnews/throttles.py``
(REST_FRAMEWORK settings import them while DRF itself loads).

The viewsets live in each app's ``api.py``; the one router that mounts them is
``lenrnews/api.py``.
"""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from rest_framework import exceptions, status, viewsets

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
ID_PATTERN = r"[0-9]+"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This record is referred to by others and cannot be deleted."
    default_code = "protected"


def can_see_unpublished(user):
    """Writers and editors (the article change permission) may read drafts through the API."""
    return bool(user and user.is_authenticated and user.has_perm("articles.change_article"))


class APIViewSet(viewsets.ModelViewSet):
    """A resource: read by anyone, written with the model permission, looked up by slug.

    GET responses carry an ``ETag`` computed from the body and answer a matching
    ``If-None-Match`` with 304; they vary with the credentials, since an editor may
    see rows a reader doesn't. Writes run in one transaction, and the response is
    the saved row read back through the viewset's queryset.
    """

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_base_queryset(self):
        """Every row, with what the serializer needs joined or prefetched."""
        return self.queryset.all()

    def get_queryset(self):
        """The rows the requesting user may read (all, except for articles)."""
        return self.get_base_queryset()

    def initial(self, request, *args, **kwargs):
        # A method this resource doesn't have is a 405 for everyone, before asking who is calling.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save(**self.get_create_kwargs())
            self.after_save(serializer.instance, created=True)
        serializer.instance = self.object_for_location = self.get_base_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()
            self.after_save(serializer.instance, created=False)
        serializer.instance = self.get_base_queryset().get(pk=serializer.instance.pk)

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
        try:
            with transaction.atomic():
                instance.delete()
        except (ProtectedError, RestrictedError) as error:
            referrers = sorted({str(obj._meta.verbose_name) for obj in error.args[1]})
            raise Conflict(
                f"This record cannot be deleted: other records refer to it ({', '.join(referrers)}). "
                "Remove those references first."
            ) from error

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            anonymous = not (request.user and request.user.is_authenticated)
            patch_cache_control(response, no_cache=True, **({} if anonymous else {"private": True}))
            response.render()
            set_response_etag(response)
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        return response
