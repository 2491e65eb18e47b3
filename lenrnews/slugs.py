"""Old addresses keep working: a public entity's former slug answers 301 to its current page.

A slug changes when an editor edits it or when a record is merged into another
(``lenrnews.merge``); each old value is kept in :class:`lenrnews.models.SlugHistory`.
``OldAddressRedirectMiddleware`` looks there when a page or an API detail address
answers 404 to a GET or a HEAD, and redirects (301, query string kept) to the same
view at the entity's current slug, only when the caller may see it there (a draft's
new title leaks nowhere). Writes to an old address stay 404s: a client must not
delete or overwrite a survivor of a merge by mistake.

Each app registers its entities and the views that show them in ``AppConfig.ready``
with :func:`track_slugs`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from lenrnews.models import SlugHistory

type Visible = Callable[[HttpRequest], models.QuerySet]


@dataclass(frozen=True)
class Route:
    model: type[models.Model]
    kwarg: str  # the URL's keyword argument
    field: str  # the model field it holds
    visible: Visible


# view name ("organizations:organization_detail", "api:organization-detail") -> how to find its entity
ROUTES: dict[str, Route] = {}
TRACKED: dict[type[models.Model], str] = {}  # model -> the field its addresses hold


def track_slugs(model, *, view_names, field="slug", kwarg=None, visible: Visible | None = None):
    """Keep ``model``'s old slugs (or ids, with ``field="pk"``) and redirect these views' old addresses.

    ``visible(request)`` is what the caller may see (default: the model's default manager,
    which hides the trash).
    """
    visible = visible or (lambda request: model._default_manager.all())
    for view_name in view_names:
        ROUTES[view_name] = Route(model=model, kwarg=kwarg or field, field=field, visible=visible)
    TRACKED[model] = field
    if field == "slug":
        label = model._meta.label
        pre_save.connect(_remember_slug, sender=model, dispatch_uid=f"slug-history-{label}-saving")
        post_save.connect(_record_slug_change, sender=model, dispatch_uid=f"slug-history-{label}-saved")
    post_delete.connect(_forget_deleted, sender=model, dispatch_uid=f"slug-history-{model._meta.label}-deleted")


def _content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=True)


def record_old_slug(model, old_slug: str, object_id: int) -> None:
    """``old_slug`` (of any record of ``model``) now leads to the record ``object_id``."""
    if old_slug:
        SlugHistory.objects.update_or_create(
            content_type=_content_type(model), old_slug=str(old_slug), defaults={"object_id": object_id}
        )


def _remember_slug(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._slug_before = None
    if raw or instance.pk is None or (update_fields is not None and "slug" not in update_fields):
        return
    instance._slug_before = sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _record_slug_change(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "slug" not in update_fields):
        return
    before = getattr(instance, "_slug_before", None)
    # A slug in use is nobody's old address any more (a record renamed back, or a new one taking it).
    SlugHistory.objects.filter(content_type=_content_type(sender), old_slug=instance.slug).delete()
    if before and before != instance.slug:
        record_old_slug(sender, before, instance.pk)


def _forget_deleted(sender, instance, **kwargs):
    SlugHistory.objects.filter(content_type=_content_type(sender), object_id=instance.pk).delete()


def moved_to(model, old_values) -> models.QuerySet:
    """The ids of the records that once had one of these slugs (or ids)."""
    return SlugHistory.objects.filter(
        content_type=_content_type(model), old_slug__in=[str(value) for value in old_values]
    ).values("object_id")


def current_address(request: HttpRequest) -> str | None:
    """Where an old address of a tracked entity is now (path and query), or None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    route = ROUTES.get(match.view_name)
    old = match.kwargs.get(route.kwarg) if route else None
    if route is None or not old:
        return None
    moved = SlugHistory.objects.filter(content_type=_content_type(route.model), old_slug=str(old)).first()
    if moved is None:
        return None
    new = route.visible(request).filter(pk=moved.object_id).values_list(route.field, flat=True).first()
    if new is None or str(new) == str(old):
        return None
    try:
        path = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, route.kwarg: new})
    except NoReverseMatch:
        return None
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


class OldAddressRedirectMiddleware:
    """A 404 for an entity's old address (GET or HEAD) becomes a 301 to its current one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD") or not ROUTES:
            return response
        address = current_address(request)
        return HttpResponsePermanentRedirect(address) if address else response
