"""The spreadsheets of organizations, people and technologies (CSV import and export in the admin).

The columns are the ones the export writes, so an exported file imports again
unchanged; ``lenrnews.spreadsheets`` says how cells are read.
"""

from django.db import models

from lenrnews.spreadsheets import AliasesColumn, Column, ManyColumn, RelatedColumn, Resource

from .models import Organization, Person, Technology

SLUG_HELP = (
    "Finds the record to change; empty for a new one (made from the name). Rows without it match by name or alias."
)


class OrganizationResource(Resource):
    model = Organization
    columns = [
        Column("slug", help=SLUG_HELP),
        Column("name"),
        AliasesColumn(),
        Column("kind", help="company, investor, research_lab, university, government, media, technology_park or "
               "nonprofit (or its label)."),
        Column("country", help="ISO 3166 code (US, CN) or the country's name."),
        Column("city"),
        Column("founded", help="Year founded."),
        Column("dissolved", help="Year dissolved."),
        Column("website"),
        Column("summary"),
        Column("description", help="Markdown."),
        RelatedColumn("parent", what="organization", help="The organization it belongs to: slug, name or alias."),
        Column("notes"),
    ]  # fmt: skip

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.select_related("parent")


class PersonResource(Resource):
    model = Person
    columns = [
        Column("slug", help=SLUG_HELP),
        Column("name"),
        AliasesColumn(),
        Column("country", help="ISO 3166 code (US, CN) or the country's name."),
        Column("born", help="Year of birth."),
        Column("died", help="Year of death."),
        Column("website"),
        Column("bio", help="Markdown."),
        Column("notes"),
    ]


class TechnologyResource(Resource):
    model = Technology
    columns = [
        Column("slug", help=SLUG_HELP),
        Column("name"),
        AliasesColumn(),
        Column("approach", help="ni_h, pd_d, plasma, electrolysis, gas_loading, other or unknown (or its label)."),
        Column("stage", help="concept, laboratory, prototype, pilot, commercial, dormant or unknown (or its label)."),
        ManyColumn("inventors", what="person", help="People, separated by ';': slug, name or alias."),
        Column("summary"),
        Column("description", help="Markdown."),
        Column("notes"),
    ]

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.prefetch_related("inventors")
