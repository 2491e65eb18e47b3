"""History keeps every change of an event's and a deal's links: their parties, sources and technologies.

A party is a row of its own (``EventOrganization``, ``InvestorPerson``...), each with its own
history; an event's sources and technologies are many-to-many links its own revisions
record (simple-history's ``m2m_fields``). An editor changes them in the admin or through the
API, and both doors must leave the same history: the row added, changed or taken out, by
whom and when, and nothing about the rows left alone.
"""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from articles.tests.factories import SourceFactory
from investments.models import (
    Event,
    EventOrganization,
    EventPerson,
    Investment,
    InvestorOrganization,
    InvestorPerson,
    RecipientOrganization,
    RecipientPerson,
)
from lenrnews.tests.admin_forms import admin_form_data, form_errors
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"

# The party rows by their inline's prefix in the admin: (row model, the field naming the party).
EVENT_PARTIES = {
    "eventorganization_set": (EventOrganization, "organization"),
    "eventperson_set": (EventPerson, "person"),
}
DEAL_PARTIES = {
    "investororganization_set": (InvestorOrganization, "organization"),
    "investorperson_set": (InvestorPerson, "person"),
    "recipientorganization_set": (RecipientOrganization, "organization"),
    "recipientperson_set": (RecipientPerson, "person"),
}


def _kind(party):
    return party._meta.model_name  # "organization" or "person"


def _put_rows(data, prefix, kind, wanted):
    """An inline's posted rows made to say ``wanted`` ({party: {field: value}}): kept rows changed,
    others ticked for deletion, new ones written into the empty forms (and after them)."""
    wanted = dict(wanted)
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    free = []
    for index in range(total):
        chosen = str(data.get(f"{prefix}-{index}-{kind}") or "")
        party = next((p for p in wanted if str(p.pk) == chosen), None)
        if not data.get(f"{prefix}-{index}-id"):
            free.append(index)
        elif party is None:
            data[f"{prefix}-{index}-DELETE"] = "on"
        else:
            _put_row(data, prefix, index, wanted.pop(party))
    for party, values in wanted.items():
        index = free.pop(0) if free else total
        total = max(total, index + 1)
        _put_row(data, prefix, index, {kind: party.pk, **values})
    data[f"{prefix}-TOTAL_FORMS"] = str(total)


def _put_row(data, prefix, index, values):
    for name, value in values.items():
        key = f"{prefix}-{index}-{name}"
        if value is False:
            data.pop(key, None)  # an unticked box is not posted
        else:
            data[key] = "on" if value is True else "" if value is None else value


class AdminDoor:
    """The editor's admin: the add or change page of the event or deal, posted as a browser does."""

    name = "admin"

    def __init__(self, editor):
        self.client = Client()
        self.client.force_login(editor)

    def _post(self, model, record, fields, rows, parties):
        opts = model._meta
        url = (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
            if record
            else reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        )
        data = admin_form_data(self.client.get(url), **fields)
        for prefix, (_, kind) in parties.items():
            _put_rows(data, prefix, kind, rows.get(prefix, {}))
        response = self.client.post(url, data)
        assert response.status_code == 302, form_errors(response)
        return model.objects.get(slug=fields.get("slug") or record.slug)

    def event(self, event, *, parties, technologies, sources):
        fields = {"technologies": [t.pk for t in technologies], "sources": [s.pk for s in sources]}
        if event is None:
            fields.update(title="Rossi sues Industrial Heat", slug="rossi-sues-ih", kind="lawsuit_filed")
        rows = {prefix: {} for prefix in EVENT_PARTIES}
        for party, role in parties:
            prefix = "eventorganization_set" if _kind(party) == "organization" else "eventperson_set"
            rows[prefix][party] = {"role": role}
        return self._post(Event, event, fields, rows, EVENT_PARTIES)

    def deal(self, deal, *, parties):
        fields = {}
        if deal is None:
            fields.update(title="IH licenses the E-Cat", slug="ih-licence", kind="license", currency="USD")
        rows = {prefix: {} for prefix in DEAL_PARTIES}
        for side, party, is_lead, amount in parties:
            prefix = f"{side}{_kind(party)}_set"
            rows[prefix][party] = {"is_lead": is_lead, "amount": amount}
        return self._post(Investment, deal, fields, rows, DEAL_PARTIES)


class ApiDoor:
    """The REST API, as the editor: a POST, then PATCHes that send the parties whole."""

    name = "api"

    def __init__(self, editor):
        self.client = APIClient()
        self.client.force_authenticate(editor)

    def _write(self, resource, record, body):
        if record is None:
            response = self.client.post(f"{API}{resource}/", body, format="json")
            assert response.status_code == 201, response.json()
        else:
            response = self.client.patch(f"{API}{resource}/{record.slug}/", body, format="json")
            assert response.status_code == 200, response.json()
        return response.json()["slug"]

    def event(self, event, *, parties, technologies, sources):
        body = {
            "parties": [{_kind(party): party.slug, "role": role} for party, role in parties],
            "technologies": [t.slug for t in technologies],
            "sources": [s.pk for s in sources],
        }
        if event is None:
            body.update(title="Rossi sues Industrial Heat", slug="rossi-sues-ih", kind="lawsuit_filed")
        return Event.objects.get(slug=self._write("events", event, body))

    def deal(self, deal, *, parties):
        body = {
            "parties": [
                {"side": side, _kind(party): party.slug, "is_lead": is_lead, "amount": amount}
                for side, party, is_lead, amount in parties
            ]
        }
        if deal is None:
            body.update(title="IH licenses the E-Cat", slug="ih-licence", kind="license", currency="USD")
        return Investment.objects.get(slug=self._write("investments", deal, body))


@pytest.fixture(params=[AdminDoor, ApiDoor], ids=["admin", "api"])
def door(request, editor):
    return request.param(editor)


def party_history(parent, specs):
    """What the party rows' history says, by party: {slug: [(change, values), ...]} oldest first,
    and every record's (user, date)."""
    by_party, who_when = {}, []
    for model, kind in specs.values():
        records = model.history.filter(**{f"{_parent_field(model)}_id": parent.pk}).order_by(
            "history_date", "history_id"
        )
        for record in records:
            values = {"role": record.role} if hasattr(record, "role") else {"lead": record.is_lead}
            if hasattr(record, "amount") and record.amount is not None:
                values["amount"] = record.amount
            by_party.setdefault(getattr(record, kind).slug, []).append((record.history_type, values))
            who_when.append((record.history_user, record.history_date))
    return by_party, who_when


def _parent_field(model):
    return "event" if model in (EventOrganization, EventPerson) else "investment"


def test_an_events_parties_added_changed_and_removed_are_each_in_the_history(door, editor):
    rossi, darden = PersonFactory(slug="andrea-rossi"), PersonFactory(slug="tom-darden")
    leonardo = OrganizationFactory(slug="leonardo")
    heat = OrganizationFactory(slug="industrial-heat")
    cherokee = OrganizationFactory(slug="cherokee")
    start = timezone.now()

    event = door.event(
        None,
        parties=[(leonardo, "plaintiff"), (heat, "defendant"), (rossi, "plaintiff"), (darden, "defendant")],
        technologies=[],
        sources=[],
    )
    # Leonardo's role is sharpened, Darden and Industrial Heat's row go, Cherokee joins; Rossi is left alone.
    door.event(
        event,
        parties=[(leonardo, "licensor, plaintiff"), (rossi, "plaintiff"), (cherokee, "defendant")],
        technologies=[],
        sources=[],
    )

    history, who_when = party_history(event, EVENT_PARTIES)
    assert history == {
        "leonardo": [("+", {"role": "plaintiff"}), ("~", {"role": "licensor, plaintiff"})],
        "industrial-heat": [("+", {"role": "defendant"}), ("-", {"role": "defendant"})],
        "cherokee": [("+", {"role": "defendant"})],
        "andrea-rossi": [("+", {"role": "plaintiff"})],
        "tom-darden": [("+", {"role": "defendant"}), ("-", {"role": "defendant"})],
    }, door.name
    assert all(user == editor and start <= when <= timezone.now() for user, when in who_when)
    assert sorted(r.organization.slug for r in event.eventorganization_set.all()) == ["cherokee", "leonardo"]


def test_a_deals_party_rows_added_changed_and_removed_are_each_in_the_history(door, editor):
    heat, woodford = OrganizationFactory(slug="industrial-heat"), OrganizationFactory(slug="woodford")
    leonardo = OrganizationFactory(slug="leonardo")
    darden, rossi = PersonFactory(slug="tom-darden"), PersonFactory(slug="andrea-rossi")
    start = timezone.now()

    deal = door.deal(
        None,
        parties=[
            ("investor", heat, True, None),
            ("investor", darden, False, None),
            ("recipient", leonardo, False, None),
        ],
    )
    # Darden is taken out, Woodford and Rossi come in, Leonardo's own part becomes known; Industrial Heat stays.
    door.deal(
        deal,
        parties=[
            ("investor", heat, True, None),
            ("investor", woodford, False, "500000.00"),
            ("recipient", leonardo, False, "11000000.00"),
            ("recipient", rossi, False, None),
        ],
    )

    history, who_when = party_history(deal, DEAL_PARTIES)
    assert history == {
        "industrial-heat": [("+", {"lead": True})],
        "tom-darden": [("+", {"lead": False}), ("-", {"lead": False})],
        "woodford": [("+", {"lead": False, "amount": Decimal("500000.00")})],
        "leonardo": [("+", {"lead": False}), ("~", {"lead": False, "amount": Decimal("11000000.00")})],
        "andrea-rossi": [("+", {"lead": False})],
    }, door.name
    assert all(user == editor and start <= when <= timezone.now() for user, when in who_when)
    assert sorted(deal.recipients.values_list("slug", flat=True)) == ["leonardo"]
    assert list(deal.recipient_people.values_list("slug", flat=True)) == ["andrea-rossi"]
    assert sorted(deal.investors.values_list("slug", flat=True)) == ["industrial-heat", "woodford"]


def _links(revision):
    return (
        sorted(row.technology.slug for row in revision.technologies.all()),
        sorted(row.source.title for row in revision.sources.all()),
    )


def test_an_events_sources_and_technologies_added_and_removed_are_in_its_revisions(door, editor):
    ecat, hotcat = TechnologyFactory(slug="e-cat"), TechnologyFactory(slug="hot-cat")
    report = SourceFactory(title="The Lugano report")
    filing = SourceFactory(title="The complaint")
    start = timezone.now()

    event = door.event(None, parties=[], technologies=[ecat], sources=[filing])
    created = event.history.latest()
    assert _links(created) == (["e-cat"], ["The complaint"])

    door.event(event, parties=[], technologies=[hotcat], sources=[filing, report])
    changed = event.history.latest()

    assert _links(changed) == (["hot-cat"], ["The Lugano report", "The complaint"])
    delta = changed.diff_against(created)
    assert set(delta.changed_fields) == {"technologies", "sources"}, door.name
    technologies = next(c for c in delta.changes if c.field == "technologies")
    assert [row["technology"] for row in technologies.old] == [ecat.pk]
    assert [row["technology"] for row in technologies.new] == [hotcat.pk]
    # Each revision says who made it and when.
    revisions = event.history.filter(history_date__gte=start)
    assert revisions.count() >= 2
    assert {revision.history_user for revision in revisions} == {editor}
    assert all(start <= revision.history_date <= timezone.now() for revision in revisions)

    door.event(event, parties=[], technologies=[], sources=[report])
    assert _links(event.history.latest()) == ([], ["The Lugano report"])
    assert set(event.history.latest().diff_against(changed).changed_fields) == {"technologies", "sources"}


def test_a_deals_lists_of_investors_and_recipients_written_through_the_api_keep_history_too(editor):
    """The four lists (``investors``...) replace only the lists sent; a party kept keeps its row."""
    heat, woodford, leonardo = (OrganizationFactory(slug=s) for s in ("industrial-heat", "woodford", "leonardo"))
    api = ApiDoor(editor)
    deal = api.deal(None, parties=[("investor", heat, True, "1000.00"), ("recipient", leonardo, False, None)])

    response = api.client.patch(
        f"{API}investments/{deal.slug}/", {"investors": [heat.slug, woodford.slug, woodford.slug]}, format="json"
    )
    assert response.status_code == 200, response.json()
    response = api.client.patch(f"{API}investments/{deal.slug}/", {"investors": [woodford.slug]}, format="json")
    assert response.status_code == 200, response.json()

    history, who_when = party_history(deal, DEAL_PARTIES)
    assert history == {
        "industrial-heat": [
            ("+", {"lead": True, "amount": Decimal("1000.00")}),
            ("-", {"lead": True, "amount": Decimal("1000.00")}),  # kept as it was until it went
        ],
        "woodford": [("+", {"lead": False})],
        "leonardo": [("+", {"lead": False})],
    }
    assert {user for user, _ in who_when} == {editor}
    assert [(row["side"], row["organization"]["slug"]) for row in response.json()["parties"]] == [
        ("investor", "woodford"),
        ("recipient", "leonardo"),
    ]
