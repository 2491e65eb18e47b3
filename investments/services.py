"""Writes of a deal's and an event's parties that keep their history.

A party is a row of its own (``InvestorOrganization``, ``EventPerson``...) with its own
revisions, which simple-history records when a row is saved or deleted, never for a
``bulk_create`` or a related manager's ``add``/``set``. So each row added, changed or taken
out is saved or deleted on its own, as the admin's inlines do, and the rows left alone
are not touched: the history says which party changed, how, by whom and when.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models, transaction

from .models import (
    Event,
    EventOrganization,
    EventPerson,
    Investment,
    InvestorOrganization,
    InvestorPerson,
    RecipientOrganization,
    RecipientPerson,
)

# A party (an organization or a person) and the values its row should hold (None: as it is).
WantedRows = Mapping[type[models.Model], Sequence[tuple[models.Model, dict[str, Any] | None]]]

# Each party row model, and the field naming its party.
PARTY_FIELDS: dict[type[models.Model], str] = {
    InvestorOrganization: "organization",
    InvestorPerson: "person",
    RecipientOrganization: "organization",
    RecipientPerson: "person",
    EventOrganization: "organization",
    EventPerson: "person",
}


@transaction.atomic
def investment_set_parties(*, investment: Investment, rows: WantedRows) -> None:
    """Make the deal's rows of each party model in ``rows`` ({model: [(party, values)]}) say
    that; ``values`` None keeps a row that stays as it is (a new row gets the defaults)."""
    for model, wanted in rows.items():
        _set_rows(model, "investment", investment, wanted)


@transaction.atomic
def event_set_parties(*, event: Event, rows: WantedRows) -> None:
    """Make the event's rows of each party model in ``rows`` ({model: [(party, values)]}) say that."""
    for model, wanted in rows.items():
        _set_rows(model, "event", event, wanted)


def _set_rows(
    model: type[models.Model],
    owner_field: str,
    owner: models.Model,
    wanted: Sequence[tuple[models.Model, dict[str, Any] | None]],
) -> None:
    kind = PARTY_FIELDS[model]
    current = {getattr(row, f"{kind}_id"): row for row in model._default_manager.filter(**{owner_field: owner})}
    for party, values in wanted:
        row = current.pop(party.pk, None)
        if row is None:
            row = model(**{owner_field: owner, kind: party})
        elif values is None or all(getattr(row, name) == value for name, value in values.items()):
            continue
        for name, value in (values or {}).items():
            setattr(row, name, value)
        row.save()
    for row in current.values():
        row.delete()
