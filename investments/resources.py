"""The spreadsheet of deals (CSV import and export in the admin): parties by slug, name or alias.

``investors`` and ``recipients`` each list organizations and people separated by ``;``;
"(lead)" after a name marks the lead, and "organization:" or "person:" before it settles
a name both share. A party's own amount is kept as it is (the admin edits it).
"""

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from lenrnews.models import DatePrecision
from lenrnews.partial_dates import format_partial_date_iso, parse_partial_date
from lenrnews.spreadsheets import CellError, Column, ManyColumn, Resource, find_records, split_list, unquote_formula
from organizations.models import Organization, Person

from .models import Investment, InvestorOrganization, InvestorPerson, RecipientOrganization, RecipientPerson

_LEAD_RE = re.compile(r"\s*\(lead\)\s*$", re.IGNORECASE)
ROW_MODELS: dict[tuple[str, str], Any] = {
    ("investor", "organization"): InvestorOrganization,
    ("investor", "person"): InvestorPerson,
    ("recipient", "organization"): RecipientOrganization,
    ("recipient", "person"): RecipientPerson,
}
# A party as a cell reads: (kind, record, is_lead).
Party = tuple[str, models.Model, bool]


class PartiesColumn(Column):
    """One side of a deal: organizations and people, ';'-separated, '(lead)' after the lead."""

    after_save = True

    def __init__(self, side: str, header: str) -> None:
        super().__init__(header, header, help="Organizations and people, separated by ';': slug, name or alias; "
                         "“(lead)” after the lead; “person:” or “organization:” before a name both have.")  # fmt: skip
        self.side = side

    @property
    def may_be_empty(self) -> bool:
        return True

    def parse(self, text: str) -> list[Party]:
        parties: list[Party] = []
        errors = []
        for entry in split_list(unquote_formula(text)):
            is_lead = bool(_LEAD_RE.search(entry))
            name = _LEAD_RE.sub("", entry).strip()
            kinds = ["organization", "person"]
            prefix, _, rest = name.partition(":")
            if rest and prefix.strip().lower() in kinds:
                kinds, name = [prefix.strip().lower()], rest.strip()
            found = []
            if "organization" in kinds:
                found += [("organization", record) for record in find_records(Organization.objects.all(), name)]
            if "person" in kinds:
                found += [("person", record) for record in find_records(Person.objects.all(), name)]
            if not found:
                errors.append(f"no {' or '.join(kinds)} is called “{name}” (by slug, name or alias)")
            elif len(found) > 1:
                listed = ", ".join(f"{kind} {record} ({record.slug})" for kind, record in found)  # type: ignore[attr-defined]
                errors.append(f"“{name}” names several: {listed}; give the slug, or write organization: or person:")
            elif all(party[1] != found[0][1] or party[0] != found[0][0] for party in parties):
                parties.append((found[0][0], found[0][1], is_lead))
        if errors:
            raise CellError("; ".join(errors))
        return parties

    def get(self, obj: models.Model) -> list[Party]:
        if not obj.pk:
            return []
        parties: list[Party] = []
        for kind in ("organization", "person"):
            rows = getattr(obj, f"{ROW_MODELS[(self.side, kind)]._meta.model_name}_set").all()
            parties += [(kind, getattr(row, kind), row.is_lead) for row in rows]
        return parties

    def set(self, obj: models.Model, value: Any) -> None:
        pass

    def set_related(self, obj: models.Model, value: list[Party]) -> None:
        """Rows kept keep their own amounts; rows left out go; new ones are made."""
        for kind in ("organization", "person"):
            row_model = ROW_MODELS[(self.side, kind)]
            wanted = {record.pk: is_lead for k, record, is_lead in value if k == kind}
            rows = {getattr(row, f"{kind}_id"): row for row in row_model.objects.filter(investment=obj)}
            row_model.objects.filter(investment=obj).exclude(**{f"{kind}__in": list(wanted)}).delete()
            for pk, is_lead in wanted.items():
                row = rows.get(pk)
                if row is None:
                    row_model.objects.create(investment=obj, is_lead=is_lead, **{f"{kind}_id": pk})
                elif row.is_lead != is_lead:
                    row.is_lead = is_lead
                    row.save(update_fields=["is_lead"])

    def same(self, before: Any, after: Any) -> bool:
        return {(k, r.pk, lead) for k, r, lead in before} == {(k, r.pk, lead) for k, r, lead in after}

    def show(self, value: Any) -> str:
        return "; ".join(f"{record}{' (lead)' if lead else ''}" for _, record, lead in value) or "(none)"

    def export(self, obj: models.Model) -> str:
        return "; ".join(f"{record.slug}{' (lead)' if lead else ''}" for _, record, lead in self.get(obj))  # type: ignore[attr-defined]


class AnnouncedColumn(Column):
    """The date and how much of it is known, in one cell: 2015, 2015-10 or 2015-10-20."""

    def __init__(self) -> None:
        super().__init__("announced_on", help="2015 (a year), 2015-10 (a month) or 2015-10-20 (a day).")

    def parse(self, text: str) -> tuple[datetime.date | None, str]:
        text = text.strip()
        if not text:
            return None, DatePrecision.DAY
        try:
            return parse_partial_date(text)  # the rule the admin and the API follow
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None

    def get(self, obj: models.Model) -> tuple[datetime.date | None, str]:
        return obj.announced_on, obj.date_precision  # type: ignore[attr-defined]

    def set(self, obj: models.Model, value: Any) -> None:
        obj.announced_on, obj.date_precision = value  # type: ignore[attr-defined]

    def same(self, before: Any, after: Any) -> bool:
        return before[0] == after[0] and (before[0] is None or before[1] == after[1])

    def show(self, value: Any) -> str:
        return format_partial_date_iso(*value) or "(empty)"

    def export(self, obj: models.Model) -> str:
        return format_partial_date_iso(*self.get(obj))


class InvestmentResource(Resource):
    model = Investment
    name_field = "title"
    columns = [
        Column("slug", help="Finds the deal to change; empty for a new one (made from the title)."),
        Column("title"),
        Column("kind", help="equity, acquisition, license, grant, government_funding, technology_transfer, "
               "partnership, loan or settlement (or its label)."),
        PartiesColumn("investor", "investors"),
        PartiesColumn("recipient", "recipients"),
        ManyColumn("technologies", what="technology", help="Technologies, separated by ';': slug, name or alias."),
        Column("amount", help="In the deal's currency; empty when not disclosed."),
        Column("currency", help="ISO 4217 code (USD, EUR, CNY)."),
        Column("amount_usd", help="For a deal in another currency; a USD deal's is its amount."),
        AnnouncedColumn(),
        Column("confidence", help="confirmed, reported, rumored, disputed or denied."),
        Column("summary"),
        Column("notes"),
    ]  # fmt: skip

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.prefetch_related(
            "technologies",
            "investororganization_set__organization",
            "investorperson_set__person",
            "recipientorganization_set__organization",
            "recipientperson_set__person",
        )

    def extra_errors(self, obj: models.Model, values: dict[str, Any]) -> dict[str, str]:
        """Nobody on both sides of a deal (``Investment.party_errors``, as the admin and the API check it)."""
        sides = {}
        for side, header in (("investor", "investors"), ("recipient", "recipients")):
            parties = values[header] if header in values else PartiesColumn(side, header).get(obj)
            sides[side] = parties
        errors = Investment.party_errors(
            investors=[r for k, r, _ in sides["investor"] if k == "organization"],
            recipients=[r for k, r, _ in sides["recipient"] if k == "organization"],
            investor_people=[r for k, r, _ in sides["investor"] if k == "person"],
            recipient_people=[r for k, r, _ in sides["recipient"] if k == "person"],
        )
        return {"investors": " ".join(errors.values())} if errors else {}
