"""Filters that reach through the same multi-valued relation apply to one and the same row.

Random small worlds and random filter combinations; each result (page and API) is
compared with a plain-Python reading of what the filters say. Organizations filtered
on their stakes, people on their roles, technologies on their holders.
"""

import datetime
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from lenrnews.models import Confidence
from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake

TODAY = datetime.date.today()
ENDS = {
    "none": (None, False),
    "past": (TODAY - datetime.timedelta(days=400), False),
    "future": (TODAY + datetime.timedelta(days=400), False),
    "unknown": (None, True),
}
APPROACHES = [Technology.Approach.NI_H, Technology.Approach.PD_D]
COUNTRIES = ["US", "IT"]
STAKE_KINDS = [TechnologyStake.Kind.OWNER, TechnologyStake.Kind.LICENSEE]
ROLES = [Affiliation.Role.CEO, Affiliation.Role.RESEARCHER]
LEVELS = [Confidence.CONFIRMED, Confidence.RUMORED]

stakes = st.lists(
    st.tuples(
        st.integers(0, 2),  # organization
        st.integers(0, 2),  # technology
        st.sampled_from(STAKE_KINDS),
        st.sampled_from(LEVELS),
        st.sampled_from(sorted(ENDS)),
    ),
    max_size=7,
    unique_by=lambda s: (s[0], s[1], s[2]),
)
roles = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 2), st.sampled_from(ROLES), st.sampled_from(sorted(ENDS))),
    max_size=6,
)
world_settings = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@contextmanager
def rolled_back():
    """A transaction undone at the end: each example builds its world afresh in the test's database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def build(stake_rows, role_rows, approaches, countries):
    organizations = [
        Organization.objects.create(name=f"Org {i}", slug=f"org-{i}", country=countries[i]) for i in range(3)
    ]
    technologies = [
        Technology.objects.create(name=f"Tech {i}", slug=f"tech-{i}", approach=approaches[i]) for i in range(3)
    ]
    people = [Person.objects.create(name=f"Person {i}", slug=f"person-{i}") for i in range(3)]
    for o, t, kind, level, end in stake_rows:
        until, unknown = ENDS[end]
        TechnologyStake.objects.create(
            organization=organizations[o],
            technology=technologies[t],
            kind=kind,
            confidence=level,
            until=until,
            until_unknown=unknown,
        )
    for p, o, role, end in role_rows:
        end_date, unknown = ENDS[end]
        Affiliation.objects.create(
            person=people[p], organization=organizations[o], role=role, end=end_date, end_unknown=unknown
        )
    return organizations, technologies, people


def holds(end_key, current):
    """Whether a row with this end passes ``current`` (empty means the default, current rows)."""
    is_current = end_key in ("none", "future")
    return {"": is_current, "true": is_current, "false": not is_current, "any": True}[current]


def kept(prefix, rows, column, matches, filtered):
    """The slugs (``<prefix>-<i>``) of the three records the filters keep: all of them when the rows are not
    ``filtered``, else those with a row (``row[column]`` is the record's number) that ``matches``."""
    return sorted(
        f"{prefix}-{i}" for i in range(3) if not filtered or any(row[column] == i and matches(row) for row in rows)
    )


def assert_listed(client, path, query, expected):
    """The page at ``path`` and its API list, filtered by ``query``, both list exactly the slugs ``expected``."""
    url = f"{path}?{urlencode(query)}" if query else path
    page = client.get(url)
    assert page.status_code == 200, url
    on_page = sorted(row.slug for row in page.context["page_obj"])
    listed = APIClient().get(f"/api/v1{url}")
    assert listed.status_code == 200, (url, listed.json())
    in_api = sorted(row["slug"] for row in listed.json()["results"])
    assert (on_page, in_api) == (expected, expected)


@pytest.mark.django_db
@world_settings
@given(
    stake_rows=stakes,
    approaches=st.lists(st.sampled_from(APPROACHES), min_size=3, max_size=3),
    technology=st.sampled_from([None, 0, 1, 2]),
    approach=st.sampled_from([None, *APPROACHES]),
    kind=st.sampled_from([None, *STAKE_KINDS]),
    level=st.sampled_from([None, Confidence.CONFIRMED, Confidence.RUMORED]),
    current=st.sampled_from(["", "true", "false", "any"]),
)
def test_organization_stake_filters_ask_for_one_stake(
    client, stake_rows, approaches, technology, approach, kind, level, current
):
    with rolled_back():
        organizations, technologies, _ = build(stake_rows, [], approaches, ["US", "US", "US"])
        query = {}
        if technology is not None:
            query["technology"] = f"tech-{technology}"
        if approach:
            query["approach"] = approach
        if kind:
            query["stake"] = kind
        if level:
            query["min_confidence"] = level
        if current:
            query["current"] = current
        stake_filtered = any(k in query for k in ("technology", "approach", "stake", "min_confidence", "current"))

        def matches(row):
            o, t, stake_kind, stake_level, end = row
            return (
                (technology is None or t == technology)
                and (not approach or approaches[t] == approach)
                and (not kind or stake_kind == kind)
                and (not level or stake_level in Confidence.at_least(level))
                and holds(end, current)
            )

        assert_listed(client, "/organizations/", query, kept("org", stake_rows, 0, matches, stake_filtered))


@pytest.mark.django_db
@world_settings
@given(
    role_rows=roles,
    organization=st.sampled_from([None, 0, 1, 2]),
    role=st.sampled_from([None, *ROLES]),
    current=st.sampled_from(["", "true", "false", "any"]),
)
# "Current and former" alone is a role of either kind, as "current" alone is a current one: nobody without roles.
@example(role_rows=[(0, 0, Affiliation.Role.CEO, "past")], organization=None, role=None, current="any")
def test_person_role_filters_ask_for_one_role(client, role_rows, organization, role, current):
    with rolled_back():
        build([], role_rows, APPROACHES + APPROACHES[:1], ["US", "US", "US"])
        query = {}
        if organization is not None:
            query["organization"] = f"org-{organization}"
        if role:
            query["role"] = role
        if current:
            query["current"] = current
        filtered = bool(query)

        def matches(row):
            _, o, row_role, end = row
            return (
                (organization is None or o == organization) and (not role or row_role == role) and holds(end, current)
            )

        assert_listed(client, "/people/", query, kept("person", role_rows, 0, matches, filtered))


@pytest.mark.django_db
@world_settings
@given(
    stake_rows=stakes,
    countries=st.lists(st.sampled_from(COUNTRIES), min_size=3, max_size=3),
    holder=st.sampled_from([None, 0, 1, 2]),
    country=st.sampled_from([None, *COUNTRIES]),
    current=st.sampled_from(["", "true", "false", "any"]),
)
def test_technology_holder_filters_ask_for_one_holder(client, stake_rows, countries, holder, country, current):
    with rolled_back():
        build(stake_rows, [], APPROACHES + APPROACHES[:1], countries)
        query = {}
        if holder is not None:
            query["holder"] = f"org-{holder}"
        if country:
            query["country"] = country
        if current:
            query["current"] = current
        filtered = bool(query)

        def matches(row):
            o, _, _, _, end = row
            return (holder is None or o == holder) and (not country or countries[o] == country) and holds(end, current)

        assert_listed(client, "/technologies/", query, kept("tech", stake_rows, 1, matches, filtered))


@pytest.mark.django_db
def test_the_example_of_the_issue(client):
    """An owner of a rumored Ni-H technology that licenses a confirmed Pd-D one holds no confirmed Ni-H as owner."""
    org = Organization.objects.create(name="Mixed", slug="mixed")
    nih = Technology.objects.create(name="N", slug="n", approach=Technology.Approach.NI_H)
    pdd = Technology.objects.create(name="P", slug="p", approach=Technology.Approach.PD_D)
    TechnologyStake.objects.create(organization=org, technology=nih, kind="owner", confidence="rumored")
    TechnologyStake.objects.create(organization=org, technology=pdd, kind="licensee", confidence="confirmed")
    page = client.get("/organizations/?approach=ni_h&stake=owner&min_confidence=confirmed")
    assert page.context["result_count"] == 0
    page = client.get("/organizations/?approach=ni_h&stake=owner&min_confidence=rumored")
    assert page.context["result_count"] == 1
