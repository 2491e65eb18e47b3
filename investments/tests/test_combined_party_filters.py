"""Filters that reach through a deal's or an event's parties mean what they say, on the page and the API.

Random small worlds and random filter combinations, each result compared with a
plain-Python reading of the filters: an event's ``party`` and ``role`` ask for one and
the same party row (a plaintiff in one suit and a defendant in another is not "the
defendant"); a deal's ``investor`` and ``recipient`` each ask for a row of their side,
and ``country`` for any organization on either side.
"""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from investments.models import (
    Event,
    EventOrganization,
    EventPerson,
    Investment,
    InvestorOrganization,
    InvestorPerson,
    RecipientOrganization,
)
from lenrnews.models import Confidence
from organizations.models import Organization, Person
from organizations.tests.test_combined_filters import assert_listed, rolled_back, world_settings

ROLES = ["plaintiff", "defendant"]
KINDS = [Event.Kind.LAWSUIT_FILED, Event.Kind.ANNOUNCEMENT]
COUNTRIES = ["US", "IT"]
# A party is ("org", i) or ("person", i).
PARTIES = [("org", 0), ("org", 1), ("org", 2), ("person", 0), ("person", 1)]

event_rows = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        # The event's parties: each party at most once, with a role or none.
        st.dictionaries(st.sampled_from(PARTIES), st.sampled_from(["", *ROLES]), max_size=3),
    ),
    max_size=5,
)
deal_rows = st.lists(
    st.tuples(
        st.sets(st.sampled_from(PARTIES), max_size=2),  # investors
        st.sets(st.sampled_from([p for p in PARTIES if p[0] == "org"]), min_size=1, max_size=2),  # recipients
    ).filter(lambda row: not row[0] & row[1]),
    max_size=5,
)


def parties():
    organizations = [
        Organization.objects.create(name=f"Org {i}", slug=f"org-{i}", country=COUNTRIES[i % 2]) for i in range(3)
    ]
    people = [Person.objects.create(name=f"Person {i}", slug=f"person-{i}") for i in range(2)]
    return {("org", i): o for i, o in enumerate(organizations)} | {("person", i): p for i, p in enumerate(people)}


def slug_of(party):
    return f"{party[0]}-{party[1]}" if party[0] == "org" else f"person-{party[1]}"


def country_of(party):
    return COUNTRIES[party[1] % 2] if party[0] == "org" else None


@pytest.mark.django_db
@world_settings
@given(
    rows=event_rows,
    party=st.sampled_from([None, *PARTIES]),
    role=st.sampled_from([None, *ROLES]),
    kind=st.sampled_from([None, *KINDS]),
)
# The plaintiff of a suit is not its defendant, though the suit has a defendant.
@example(
    rows=[(Event.Kind.LAWSUIT_FILED, {("org", 0): "plaintiff", ("org", 1): "defendant"})],
    party=("org", 0),
    role="defendant",
    kind=None,
)
def test_event_party_and_role_ask_for_one_party_row(client, rows, party, role, kind):
    with rolled_back():
        by_key = parties()
        for n, (event_kind, event_parties) in enumerate(rows):
            event = Event.objects.create(
                title=f"Event {n}",
                slug=f"event-{n}",
                kind=event_kind,
                occurred_on=datetime.date(2016, 1, 1 + n),
                confidence=Confidence.REPORTED,
            )
            for key, party_role in event_parties.items():
                if key[0] == "org":
                    EventOrganization.objects.create(event=event, organization=by_key[key], role=party_role)
                else:
                    EventPerson.objects.create(event=event, person=by_key[key], role=party_role)
        query = {}
        if party is not None:
            query["party"] = slug_of(party)
        if role:
            query["role"] = role
        if kind:
            query["kind"] = kind

        def matches(event_kind, event_parties):
            return (not kind or event_kind == kind) and (
                (party is None and not role)
                or any(
                    (party is None or key == party) and (not role or party_role == role)
                    for key, party_role in event_parties.items()
                )
            )

        expected = sorted(f"event-{n}" for n, row in enumerate(rows) if matches(*row))
        assert_listed(client, "/events/", query, expected)


@pytest.mark.django_db
@world_settings
@given(
    rows=deal_rows,
    investor=st.sampled_from([None, *PARTIES]),
    recipient=st.sampled_from([None, ("org", 0), ("org", 1)]),
    country=st.sampled_from([None, *COUNTRIES]),
)
# An American investor's deal with an Italian recipient is a deal in Italy too.
@example(rows=[({("org", 0)}, {("org", 1)})], investor=("org", 0), recipient=None, country="IT")
def test_deal_investor_recipient_and_country_mean_their_own_sides(client, rows, investor, recipient, country):
    with rolled_back():
        by_key = parties()
        for n, (investors, recipients) in enumerate(rows):
            deal = Investment.objects.create(
                title=f"Deal {n}",
                slug=f"deal-{n}",
                kind=Investment.Kind.EQUITY,
                announced_on=datetime.date(2016, 1, 1 + n),
                confidence=Confidence.REPORTED,
            )
            for key in sorted(investors):
                if key[0] == "org":
                    InvestorOrganization.objects.create(investment=deal, organization=by_key[key])
                else:
                    InvestorPerson.objects.create(investment=deal, person=by_key[key])
            for key in sorted(recipients):
                RecipientOrganization.objects.create(investment=deal, organization=by_key[key])
        query = {}
        if investor is not None:
            query["investor"] = slug_of(investor)
        if recipient is not None:
            query["recipient"] = slug_of(recipient)
        if country:
            query["country"] = country

        def matches(investors, recipients):
            return (
                (investor is None or investor in investors)
                and (recipient is None or recipient in recipients)
                and (not country or any(country_of(p) == country for p in investors | recipients))
            )

        expected = sorted(f"deal-{n}" for n, row in enumerate(rows) if matches(*row))
        assert_listed(client, "/investments/", query, expected)
