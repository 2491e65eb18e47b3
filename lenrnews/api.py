"""The API's own resource: ``/api/v1/deletions/``, what went away, for clients that mirror the database
(``lenrnews/sync.py``). The router (``portal/api.py``) makes it for the resources it mounts."""

from django.db.models import Q
from rest_framework import mixins, permissions, viewsets

from lenrnews.filters import APIFilterBackend, deletion_filterset
from lenrnews.models import Deletion
from lenrnews.rest import FieldSelectionViewMixin, PerCallerMixin, StrictQueryMixin
from lenrnews.serializers import DeletionSerializer


class Resource:
    """One of the router's resources: its name, viewset, model and how its records are looked up."""

    def __init__(self, prefix, viewset):
        self.prefix = prefix
        self.viewset = viewset
        self.model = viewset.serializer_class.Meta.model
        self.lookup_field = viewset.lookup_field


class DeletionViewSet(
    PerCallerMixin, FieldSelectionViewMixin, StrictQueryMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """What was deleted, moved to the trash or withdrawn from readers, oldest first.

    For clients that mirror the API: apply the deletions since your last sync, then the
    lists' ``updated_since``. A record readers never saw (a draft) is listed only to
    those who may read it.
    """

    queryset = Deletion.objects.all()
    serializer_class = DeletionSerializer
    filter_backends = [APIFilterBackend]
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    resources: dict[str, Resource] = {}

    @classmethod
    def for_router(cls, registry):
        """The viewset for the resources in a router's ``registry`` (each model named by its resource)."""
        resources = {}
        for prefix, viewset, _basename in registry:
            meta = getattr(getattr(viewset, "serializer_class", None), "Meta", None)
            if getattr(meta, "model", None) is not None:
                resource = Resource(prefix, viewset)
                resources[resource.model._meta.label_lower] = resource
        types = {resource.prefix: label for label, resource in resources.items()}
        return type(cls.__name__, (cls,), {"resources": resources, "filterset_class": deletion_filterset(types)})

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "resources": self.resources}

    def get_queryset(self):
        user = self.request.user
        everything, public_only = [], []
        for label, resource in self.resources.items():
            opts = resource.model._meta
            may_read_all = any(
                user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("view", "change")
            )
            (everything if may_read_all else public_only).append(label)
        return Deletion.objects.filter(Q(model__in=everything) | Q(model__in=public_only, public=True)).order_by(
            "deleted_at", "pk"
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A withdrawn record the caller still reads (an editor reads unpublished articles) is not gone for them.
        withdrawn: dict[str, dict[str, int]] = {}
        rows = queryset.filter(kind=Deletion.Kind.WITHDRAWN).values_list("pk", "model", "object_id")
        for pk, label, object_id in rows:
            withdrawn.setdefault(label, {})[object_id] = pk
        readable = []
        for label, deletions in withdrawn.items():
            view = self.resources[label].viewset(request=self.request, kwargs={}, format_kwarg=None, action="list")
            still = view.get_queryset().prefetch_related(None).filter(pk__in=list(deletions))
            readable += [deletions[str(pk)] for pk in still.values_list("pk", flat=True)]
        return queryset.exclude(pk__in=readable) if readable else queryset
