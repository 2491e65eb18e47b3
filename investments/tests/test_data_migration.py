"""The second data model's migrations carry the first one's rows over unchanged in meaning.

``investments.0007_events_parties_and_status`` turns a deal's single ``recipient`` into its
one recipient row, and ``articles.0008_source_kinds_and_speakers`` moves a source's own
``confidence`` into its notes (and a self-claim into a named speaker). The test migrates an
empty database back to just before them, writes rows as the old models had them, migrates
forward and reads them with today's models.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Source
from investments.models import Investment, InvestorOrganization, RecipientOrganization
from lenrnews.search import filter_by_text
from lenrnews.search_migrations import repair_search_indexes
from organizations.models import Organization, Technology

# Every app at the node just before the record-over-time migrations. Migrating back to these
# unapplies everything after them, in these apps and in the apps that depend on them.
BEFORE = [
    ("articles", "0007_merge_trash_notices_mentions"),
    ("investments", "0006_trash"),
    ("organizations", "0002_search_vector"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied now
    return executor


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())
    # What `migrate` does after the migrations (lenrnews/apps.py): SQLite's search indexes lose
    # their triggers when a migration rebuilds their table; put them back for the tests after this one.
    repair_search_indexes(connection)


@pytest.mark.django_db(transaction=True)
def test_deals_and_sources_of_the_first_model_mean_the_same_after_the_migrations():
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        OldOrganization = old.get_model("organizations", "Organization")
        OldTechnology = old.get_model("organizations", "Technology")
        OldInvestment = old.get_model("investments", "Investment")
        OldInvestorOrganization = old.get_model("investments", "InvestorOrganization")
        OldSource = old.get_model("articles", "Source")

        leonardo = OldOrganization.objects.create(name="Leonardo Corporation", slug="leonardo", kind="company")
        heat = OldOrganization.objects.create(name="Industrial Heat", slug="industrial-heat", kind="company")
        fund = OldOrganization.objects.create(name="Woodford Fund", slug="woodford", kind="fund")
        OldTechnology.objects.create(name="E-Cat", slug="e-cat", approach="ni_h", stage="laboratory")
        deal = OldInvestment.objects.create(
            title="Industrial Heat licenses the E-Cat",
            slug="ih-licence",
            kind="license",
            recipient=leonardo,
            amount=Decimal("11500000.00"),
            currency="USD",
            amount_usd=Decimal("11500000.00"),
            confidence="confirmed",
        )
        OldInvestorOrganization.objects.create(investment=deal, organization=heat)
        framework = OldInvestment.objects.create(
            title="A framework agreement", slug="framework", kind="partnership", recipient=None
        )
        OldInvestorOrganization.objects.create(investment=framework, organization=fund)
        rumour = OldSource.objects.create(title="A forum post", url="https://example.org/post", confidence="rumored")
        statement = OldSource.objects.create(
            title="IH on its licence",
            url="https://example.org/ih",
            confidence="confirmed",
            self_claim=True,
            attributed_to="Tom Darden, Industrial Heat",
        )
        nameless = OldSource.objects.create(
            title="Someone on itself",
            url="https://example.org/someone",
            self_claim=True,
            attributed_to="A company we do not know",
        )

        _migrate_to_latest()

        deal = Investment.objects.get(slug="ih-licence")
        [recipient] = RecipientOrganization.objects.filter(investment=deal)
        assert recipient.organization.slug == "leonardo"
        assert not recipient.is_lead and recipient.amount is None, "the old model knew nothing of its part"
        assert list(deal.recipients.values_list("slug", flat=True)) == ["leonardo"]
        assert not deal.recipient_people.exists()
        assert list(
            InvestorOrganization.objects.filter(investment=deal).values_list("organization__slug", flat=True)
        ) == ["industrial-heat"]
        assert (deal.amount, deal.amount_usd, deal.currency) == (Decimal("11500000.00"),) * 2 + ("USD",)
        # No status move was ever recorded: the deal is as announced, and still active.
        assert (deal.status, deal.status_event, deal.ended_on) == (Investment.Status.ANNOUNCED, None, None)
        assert deal.is_active

        framework = Investment.objects.get(slug="framework")
        assert not framework.recipients.exists(), "a deal without a recipient gets no recipient row"
        assert list(framework.investors.values_list("slug", flat=True)) == ["woodford"]
        assert RecipientOrganization.objects.count() == 1

        assert Source.objects.get(pk=rumour.pk).notes == "Before source kinds, this source itself was marked rumored."
        statement = Source.objects.get(pk=statement.pk)
        assert statement.notes == "Before source kinds, this source itself was marked confirmed."
        assert statement.speaker_organization == Organization.objects.get(slug="industrial-heat")
        nameless = Source.objects.get(pk=nameless.pk)
        assert nameless.notes.startswith("Before source kinds, this source itself was marked reported.")
        assert "no speaker in the database could be named: set one" in nameless.notes
        assert nameless.speaker_organization is None

        # The technology's stage, known before its choices gained "unknown", is kept.
        assert Technology.objects.get(slug="e-cat").stage == Technology.Stage.LABORATORY
        # Search reads the rows written before its indexes were built (and rebuilt).
        assert filter_by_text(Investment.objects.all(), "licenses", ["title"]).get() == deal
        assert filter_by_text(Organization.objects.all(), "Woodford", ["name"]).get().slug == "woodford"
    finally:
        _migrate_to_latest()
    executor = MigrationExecutor(connection)
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes()), "left at the latest migrations"
