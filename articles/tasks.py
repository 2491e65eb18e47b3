"""Background tasks of the articles app (Django's tasks framework, ``settings.TASKS``)."""

from django.tasks import task

from .mentions import Kind, entity_redetect_mentions


@task
def redetect_mentions(kind: Kind, pk: int, names: list[str]) -> int:
    """Detect mentions again where an entity's changed names may count; return the number of articles."""
    return entity_redetect_mentions(kind=kind, pk=pk, names=names)
