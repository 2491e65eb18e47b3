"""Merging duplicates: one record (the loser) folded into another (the survivor), then deleted.

``merge_records(loser=..., survivor=...)`` moves every reference to the loser onto the
survivor, whichever model holds it (read from ``_meta``, so a relation added later is
moved too): foreign keys, the rows of many-to-many links, the rows of party and
mention tables. Where the survivor already has the same row (a stake of the same kind
in the same technology, a mention in the same article: a unique constraint would be
broken), the survivor's row is kept, given the loser's row's sources and other links
and any value it lacks, and the loser's row is deleted.

The survivor keeps its own values and takes the loser's where it has none; the loser's
name and aliases become aliases of the survivor; editors' notes are put together. The
loser's slug (or a source's id) is kept as an old address of the survivor, which
answers 301 there (``lenrnews.slugs``). Both histories say "merged X into Y": the
survivor's as a change, the loser's as its deletion. All in one transaction.
"""

from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models.fields.related import ForeignObjectRel

from lenrnews.models import SlugHistory, split_aliases
from lenrnews.names import name_key
from lenrnews.slugs import TRACKED, record_old_slug

# Never taken from the loser: who it is, and what the database derives.
OWN_FIELDS = {"id", "name", "title", "slug", "aliases", "notes", "created_at", "updated_at", "search_vector"}
BLANK = (None, "", "unknown")


class MergeRefused(Exception):
    """The two records cannot be merged (the same record, or two kinds of record)."""


@dataclass
class MergeReport:
    """What a merge did, for the editor's message."""

    loser: str
    survivor: str
    moved: int = 0  # rows that now refer to the survivor
    folded: int = 0  # rows the survivor already had: kept once, with the loser's links
    aliases_added: list[str] = field(default_factory=list)


def _is_history(model) -> bool:
    return any(f.name == "history_id" for f in model._meta.fields)


def reference_relations(model) -> list[ForeignObjectRel]:
    """Every foreign key that points at ``model`` (those of many-to-many link tables too), history excepted."""
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)
        and not relation.many_to_many
        and not _is_history(relation.related_model)
    ]


def references_to(obj) -> list[tuple[str, int]]:
    """How many rows of each kind refer to ``obj``: (their verbose name, count), for the confirmation page."""
    counts = []
    for relation in reference_relations(type(obj)):
        related = relation.related_model
        count = related._base_manager.filter(**{relation.field.name: obj}).count()
        if count:
            opts = related._meta
            name = (
                _link_name(related)
                if opts.auto_created
                else opts.verbose_name
                if count == 1
                else opts.verbose_name_plural
            )
            counts.append((str(name), count))
    return counts


def _link_name(through) -> str:
    """'links: technology inventors' for an automatic many-to-many table."""
    return f"links: {through._meta.verbose_name}".replace(" relationship", "")


def _unique_sets(model, field_name) -> list[tuple[str, ...]]:
    sets = [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and field_name in constraint.fields
    ]
    sets += [tuple(names) for names in model._meta.unique_together if field_name in names]
    if model._meta.get_field(field_name).unique:
        sets.append((field_name,))
    return sets


def _twin(row, field_name, survivor):
    """The survivor's row that ``row``, moved, would duplicate (the same values of a unique set), or None."""
    model = type(row)
    for names in _unique_sets(model, field_name):
        lookup = {}
        for name in names:
            attname = model._meta.get_field(name).attname
            lookup[attname] = survivor.pk if name == field_name else getattr(row, attname)
        twin = model._base_manager.filter(**lookup).exclude(pk=row.pk).first()
        if twin is not None:
            return twin
    return None


def _fill_blanks(target, source, *, skip=()) -> list[str]:
    """Give ``target`` the values of ``source`` it has none of; the names of the fields filled.

    A reference from ``source`` to ``target`` itself (or to a record of its kind that is
    ``source``) is not taken: nothing becomes its own parent.
    """
    model = type(target)
    filled = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in OWN_FIELDS or model_field.name in skip or not model_field.editable:
            continue
        if model_field.primary_key:
            continue
        mine, theirs = getattr(target, model_field.attname), getattr(source, model_field.attname)
        if mine not in BLANK or theirs in BLANK:
            continue
        if model_field.is_relation and model_field.related_model is model and theirs in (target.pk, source.pk):
            continue
        setattr(target, model_field.attname, theirs)
        filled.append(model_field.name)
    return filled


def _carry_links(twin, row):
    """The loser's row's many-to-many links (its sources, the articles reporting it) added to its twin."""
    for m2m in type(row)._meta.many_to_many:
        linked = list(getattr(row, m2m.name).all())
        if linked:
            getattr(twin, m2m.name).add(*linked)


def _move_references(loser, survivor, reason, report):
    model = type(survivor)
    for relation in reference_relations(model):
        related, fk = relation.related_model, relation.field
        rows = list(related._base_manager.filter(**{fk.name: loser}).order_by("pk"))
        for row in rows:
            if related is model and row.pk == survivor.pk:
                # The survivor referred to the loser (its parent, the source it came via): take the loser's own.
                theirs = getattr(loser, fk.attname)
                setattr(row, fk.attname, theirs if theirs not in (loser.pk, survivor.pk) else None)
                related._base_manager.filter(pk=row.pk).update(**{fk.attname: getattr(row, fk.attname)})
                setattr(survivor, fk.attname, getattr(row, fk.attname))
                report.moved += 1
                continue
            twin = _twin(row, fk.name, survivor)
            if twin is not None:
                _carry_links(twin, row)
                if _fill_blanks(twin, row, skip={fk.name}):
                    twin._change_reason = reason
                    twin.save()
                row._change_reason = reason
                row.delete()
                report.folded += 1
                continue
            setattr(row, fk.attname, survivor.pk)
            if related._meta.auto_created:  # an automatic many-to-many table: no save() of its own
                related._base_manager.filter(pk=row.pk).update(**{fk.attname: survivor.pk})
            else:
                row._change_reason = reason
                row.save(update_fields=[fk.name])
            report.moved += 1


def _absorb_names(loser, survivor, report):
    if not hasattr(survivor, "aliases"):
        return
    known = {name_key(name) for name in [survivor.name, *split_aliases(survivor.aliases)]}
    added = []
    for name in [loser.name, *split_aliases(loser.aliases)]:
        key = name_key(name)
        if key and key not in known:
            known.add(key)
            added.append(name)
    if added:
        survivor.aliases = "\n".join([*split_aliases(survivor.aliases), *added])
    report.aliases_added = added


def _absorb_notes(loser, survivor):
    if getattr(loser, "notes", "") and loser.notes.strip() not in survivor.notes:
        joined = f"From the merged “{loser}”: {loser.notes.strip()}"
        survivor.notes = f"{survivor.notes.rstrip()}\n\n{joined}" if survivor.notes.strip() else joined


def _short(obj, length=43):
    """A record's name as a change reason (100 characters in all) holds it."""
    text = str(obj)
    return text if len(text) <= length else f"{text[: length - 1]}…"


def merge_records(*, loser, survivor, user=None) -> MergeReport:
    """Fold ``loser`` into ``survivor`` (see the module docstring); raises ``MergeRefused`` for a record into itself."""
    model = type(survivor)
    if type(loser) is not model:
        raise MergeRefused(
            f"Only records of one kind can be merged ({loser._meta.verbose_name} into {model._meta.verbose_name})."
        )
    if loser.pk == survivor.pk:
        raise MergeRefused("A record cannot be merged into itself.")
    reason = f"merged {_short(loser)} into {_short(survivor)}"
    report = MergeReport(loser=str(loser), survivor=str(survivor))
    with transaction.atomic():
        list(model._base_manager.select_for_update().filter(pk__in=[loser.pk, survivor.pk]))
        loser.refresh_from_db()
        survivor.refresh_from_db()
        _move_references(loser, survivor, reason, report)
        _absorb_names(loser, survivor, report)
        _absorb_notes(loser, survivor)
        _fill_blanks(survivor, loser)
        for record in (survivor, loser):
            record._change_reason = reason
            if user is not None:
                record._history_user = user
        survivor.save()
        address = TRACKED.get(model)
        if address is not None:
            # The loser's old addresses lead to the survivor, and so does its own.
            from django.contrib.contenttypes.models import ContentType

            content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
            SlugHistory.objects.filter(content_type=content_type, object_id=loser.pk).update(object_id=survivor.pk)
            record_old_slug(model, getattr(loser, address), survivor.pk)
        loser.delete()
    return report
