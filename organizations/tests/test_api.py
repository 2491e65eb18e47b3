"""Organizations, people, affiliations, technologies and stakes through the API."""

from decimal import Decimal

import pytest

from articles.tests.factories import SourceFactory
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.api_support import API, client_for, editor
from organizations.models import Organization, TechnologyStake
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_organization_representation_with_deal_stats_and_aliases():
    parent = OrganizationFactory(slug="cherokee", name="Cherokee")
    heat = OrganizationFactory(
        slug="industrial-heat", name="Industrial Heat", parent=parent, aliases="IH\nIndustrial Heat LLC"
    )
    InvestmentFactory(recipients=[heat], amount=Decimal("50000000"), investors=[parent])

    data = client_for().get(f"{API}organizations/industrial-heat/").json()

    assert data["url"] == "http://testserver/organizations/industrial-heat/"
    assert data["aliases"] == ["IH", "Industrial Heat LLC"]
    assert data["parent"] == {
        "slug": "cherokee",
        "name": "Cherokee",
        "url": "http://testserver/organizations/cherokee/",
    }
    assert data["deal_count"] == 1 and data["deals_received"] == 1 and data["deals_made"] == 0
    assert data["total_raised_usd"] == "50000000.00"
    assert data["latest_deal_on"] == "2015-10-20"


def test_organization_filters_are_the_page_s():
    heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", kind="company", country="US")
    OrganizationFactory(name="Baishishan", slug="baishishan", kind="technology_park", country="CN")
    TechnologyStakeFactory(organization=heat, technology=TechnologyFactory(slug="e-cat"))
    InvestmentFactory(recipients=[heat])
    client = client_for()
    assert slugs(client.get(f"{API}organizations/", {"kind": "company", "country": "US"})) == ["industrial-heat"]
    assert slugs(client.get(f"{API}organizations/", {"technology": "e-cat"})) == ["industrial-heat"]
    assert slugs(client.get(f"{API}organizations/", {"has_deals": "false"})) == ["baishishan"]
    assert slugs(client.get(f"{API}organizations/", {"country": ["US", "CN"], "ordering": "-name"})) == [
        "industrial-heat",
        "baishishan",
    ]


@pytest.mark.parametrize(
    "params",
    [{"kind": "spaceship"}, {"country": "XX"}, {"founded_min": "abc"}, {"technology": "no-such-technology"},
     {"ordering": "-password"}, {"has_deals": "perhaps"}],
)  # fmt: skip
def test_a_filter_that_does_not_parse_is_a_400_naming_it(params):
    response = client_for().get(f"{API}organizations/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_aliases_are_written_as_a_list():
    client = client_for(editor())
    response = client.post(
        f"{API}organizations/", {"name": "Industrial Heat", "aliases": ["IH", " Industrial Heat LLC "]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Organization.objects.get(slug="industrial-heat").aliases == "IH\nIndustrial Heat LLC"
    response = client.patch(f"{API}organizations/industrial-heat/", {"aliases": ["IH\nsneaky"]}, format="json")
    assert response.status_code == 400
    assert "aliases" in response.json()


def test_an_organization_cannot_be_its_own_parent():
    OrganizationFactory(slug="loop")
    response = client_for(editor()).patch(f"{API}organizations/loop/", {"parent": "loop"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"parent": ["An organization cannot be its own parent."]}


def test_people_show_their_affiliations():
    darden = PersonFactory(slug="tom-darden", name="Tom Darden")
    AffiliationFactory(
        person=darden, organization=OrganizationFactory(slug="cherokee", name="Cherokee"), role="founder"
    )
    data = client_for().get(f"{API}people/tom-darden/").json()
    assert data["affiliations"][0]["organization"]["slug"] == "cherokee"
    assert data["affiliations"][0]["role"] == "founder"
    assert slugs(client_for().get(f"{API}people/", {"organization": "cherokee"})) == ["tom-darden"]


def test_a_claim_carries_confidence_dates_with_precision_and_sources():
    source = SourceFactory(publisher="E-Cat World", via=SourceFactory(publisher="Vortex-L"), attributed_to="Macy")
    client = client_for(editor())
    response = client.post(
        f"{API}affiliations/",
        {
            "person": PersonFactory(slug="tom-darden").slug,
            "organization": OrganizationFactory(slug="cherokee").slug,
            "role": "founder",
            "start": "2015-01-01",
            "start_precision": "year",
            "confidence": "rumored",
            "sources": [source.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == f"http://testserver{API}affiliations/{data['id']}/"
    assert data["start_display"] == "2015"
    assert data["confidence"] == "rumored"
    assert data["sources"][0]["attributed_to"] == "Macy"
    assert data["sources"][0]["chain_display"] == "Vortex-L -> E-Cat World"

    response = client.patch(f"{API}affiliations/{data['id']}/", {"end": "2014-01-01"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A role cannot end before it starts."]}


def test_technologies_and_stakes():
    rossi = PersonFactory(slug="andrea-rossi")
    client = client_for(editor())
    response = client.post(
        f"{API}technologies/",
        {"name": "E-Cat", "approach": "ni_h", "stage": "prototype", "inventors": ["andrea-rossi"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["inventors"][0]["slug"] == rossi.slug
    heat = OrganizationFactory(slug="industrial-heat")
    response = client.post(
        f"{API}stakes/",
        {"organization": "industrial-heat", "technology": "e-cat", "kind": "licensee", "confidence": "disputed"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert TechnologyStake.objects.get().organization == heat
    reader = client_for()
    assert [
        s["organization"]["slug"] for s in reader.get(f"{API}stakes/", {"technology": "e-cat"}).json()["results"]
    ] == ["industrial-heat"]
    assert slugs(reader.get(f"{API}technologies/", {"holder": "industrial-heat"})) == ["e-cat"]
    assert reader.get(f"{API}stakes/", {"min_confidence": "reported"}).json()["count"] == 0
