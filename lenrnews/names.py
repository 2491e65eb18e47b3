"""Names, addresses and DOIs as the site compares them: the keys of exact lookups and duplicate guards.

Two names are the same when they differ only in case, accents, punctuation and spaces:
"Industrial Heat, LLC", "industrial heat llc" and "INDUSTRIAL-HEAT LLC" share the key
``industrialheatllc``. Legal forms are kept ("Industrial Heat" and "Industrial Heat LLC"
are two keys): an editor records the other forms as aliases, and an alias is compared
like a name.

The keys of every organization's, person's and technology's name and aliases are kept
in :class:`lenrnews.models.EntityName` (indexed, rewritten on each save); a source keeps
``url_key`` and ``doi_key`` columns of its own.
"""

import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save

from lenrnews.models import EntityName, split_aliases

# Query parameters that only say where a reader clicked from.
TRACKING_PARAMETERS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src"}
DEFAULT_PORTS = {"http": 80, "https": 443}
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


def name_key(name: str | None) -> str:
    """The name folded for comparison: no case, accents, punctuation or spaces ('' when nothing is left)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(char for char in decomposed.casefold() if char.isalnum() and not unicodedata.combining(char))


def name_keys(name: str | None, aliases: str | None = "") -> tuple[str, set[str]]:
    """The key of a name and the keys of its aliases (stored one a line), empty ones left out."""
    return name_key(name), {key for key in map(name_key, split_aliases(aliases)) if key}


def url_key(url: str | None) -> str:
    """The address folded for comparison ('' for none).

    Scheme (http and https are one page), ``www.``, a default port, the fragment, a trailing
    slash, tracking parameters (``utm_*``, ``fbclid``...) and the order of parameters are
    ignored; the path keeps its case, as servers do.
    """
    text = (url or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = f"http://{text}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text.casefold()
    host = (parts.hostname or "").rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_") and name.lower() not in TRACKING_PARAMETERS
    )
    key = host + path
    if query:
        key += "?" + urlencode(query)
    return key


def doi_key(doi: str | None) -> str:
    """The DOI folded for comparison (DOIs ignore case): '10.1016/j.x.2010.01.001' ('' for none)."""
    text = (doi or "").strip()
    for prefix in DOI_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    return text.strip().casefold()


def entity_name_rows(obj) -> list[EntityName]:
    """The keys an entity is found under: its name's and its aliases'."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    key, alias_keys = name_keys(obj.name, obj.aliases)
    rows = [EntityName(content_type=content_type, object_id=obj.pk, key=key, is_alias=False)] if key else []
    rows += [EntityName(content_type=content_type, object_id=obj.pk, key=k, is_alias=True) for k in sorted(alias_keys)]
    return rows


def entity_names_refresh(obj) -> None:
    """Rewrite the stored keys of one entity's name and aliases."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    EntityName.objects.filter(content_type=content_type, object_id=obj.pk).delete()
    EntityName.objects.bulk_create(entity_name_rows(obj))


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"name", "aliases"} & set(update_fields)):
        return
    entity_names_refresh(instance)


def _deleted(sender, instance, **kwargs):
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    EntityName.objects.filter(content_type=content_type, object_id=instance.pk).delete()


def track_names(*named_models: type[models.Model]) -> None:
    """Keep the stored keys of these models' names and aliases current (call it in ``AppConfig.ready``)."""
    for model in named_models:
        if model not in NAMED_MODELS:
            NAMED_MODELS.append(model)
        label = model._meta.label
        post_save.connect(_saved, sender=model, dispatch_uid=f"entity-names-{label}-saved")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"entity-names-{label}-deleted")


def with_name_key(queryset: models.QuerySet, key: str, *, alias: bool) -> models.QuerySet:
    """The rows of ``queryset`` whose name (or, with ``alias``, one of whose aliases) has this key."""
    if not key:
        return queryset.none()
    content_type = ContentType.objects.get_for_model(queryset.model, for_concrete_model=True)
    ids = EntityName.objects.filter(content_type=content_type, key=key, is_alias=alias).values("object_id")
    return queryset.filter(pk__in=ids)


NAMED_MODELS: list[type[models.Model]] = []  # filled by track_names
ADDRESSED_MODELS: list[type[models.Model]] = []  # models with url_key and doi_key columns


def track_addresses(*addressed_models: type[models.Model]) -> None:
    """Models whose ``url_key`` and ``doi_key`` (kept by their ``save()``) ``refresh_lookup_keys`` rebuilds."""
    ADDRESSED_MODELS.extend(model for model in addressed_models if model not in ADDRESSED_MODELS)


def refresh_lookup_keys(batch_size=1000) -> int:
    """Rebuild every stored key from the rows (after ``bulk_create``, which sends no signal); the keys written."""
    written = 0
    for model in NAMED_MODELS:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        EntityName.objects.filter(content_type=content_type).delete()
        rows = []
        for obj in model._base_manager.only("pk", "name", "aliases").iterator(chunk_size=batch_size):
            rows.extend(entity_name_rows(obj))
        EntityName.objects.bulk_create(rows, batch_size=batch_size)
        written += len(rows)
    for model in ADDRESSED_MODELS:
        changed: list[Any] = []
        source: Any  # a model with url, doi and their keys (Source)
        rows_read = model._base_manager.only("pk", "url", "doi", "url_key", "doi_key")
        for source in rows_read.iterator(chunk_size=batch_size):
            keys = (url_key(source.url)[:500], doi_key(source.doi)[:200])
            if keys != (source.url_key, source.doi_key):
                source.url_key, source.doi_key = keys
                changed.append(source)
        model._base_manager.bulk_update(changed, ["url_key", "doi_key"], batch_size=batch_size)
        written += len(changed)
    return written
