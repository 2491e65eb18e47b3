"""Profile citations and a person's years through the API: each citation names the facts
it supports, with its source as compact as a claim's."""

import pytest

from articles.tests.factories import SourceFactory
from lenrnews.tests.api_support import API, client_for, editor
from lenrnews.tests.query_counts import QUERY_BUDGET, queries_with_1_and_50_rows
from organizations.models import OrganizationCitation, Person, PersonCitation, TechnologyCitation
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def test_an_organization_lists_the_sources_of_its_facts():
    organization = OrganizationFactory(slug="cited", founded=2012)
    registry = SourceFactory(
        title="Articles of incorporation", publisher="State registry", kind="registry_filing", via=SourceFactory()
    )
    OrganizationCitation.objects.create(subject=organization, source=registry, fields=["founded", "city"], quote="2012")
    OrganizationCitation.objects.create(
        subject=organization, source=SourceFactory(speaker_organization=organization), fields=["website"]
    )

    data = client_for().get(f"{API}organizations/cited/").json()

    first, second = data["citations"]
    assert first["fields"] == ["founded", "city"] and first["quote"] == "2012"
    assert first["source"]["id"] == registry.pk
    assert first["source"]["title"] == "Articles of incorporation"
    assert first["source"]["kind"] == "registry_filing"
    assert len(first["source"]["via"]) == 1
    assert first["source"]["self_claim"] is False
    assert second["fields"] == ["website"] and second["source"]["self_claim"] is True


def test_a_person_has_birth_and_death_years_and_their_sources():
    person = PersonFactory(slug="late", born=1935, died=2020)
    PersonCitation.objects.create(
        subject=person, source=SourceFactory(publisher="Obituary desk"), fields=["born", "died"]
    )

    data = client_for().get(f"{API}people/late/").json()

    assert data["born"] == 1935 and data["died"] == 2020
    [citation] = data["citations"]
    assert citation["fields"] == ["born", "died"] and citation["source"]["publisher"] == "Obituary desk"


def test_an_editor_writes_birth_and_death_years_and_the_model_rules_hold():
    person = PersonFactory(slug="writable")
    client = client_for(editor())

    response = client.patch(f"{API}people/writable/", {"born": 1940, "died": 2001}, format="json")
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.born, person.died) == (1940, 2001)

    refused = client.patch(f"{API}people/writable/", {"born": 2010}, format="json")
    assert refused.status_code == 400
    assert Person.objects.get(pk=person.pk).born == 1940


def test_citations_are_read_only():
    person = PersonFactory(slug="read-only")
    client = client_for(editor())

    client.patch(f"{API}people/read-only/", {"citations": [{"fields": ["born"], "quote": "x"}]}, format="json")

    assert not PersonCitation.objects.filter(subject=person).exists()


def test_a_technology_of_unknown_stage_says_so_with_no_citation():
    TechnologyFactory(slug="vague", stage="unknown", approach="unknown")

    data = client_for().get(f"{API}technologies/vague/").json()

    assert data["stage"] == "unknown" and data["approach"] == "unknown"
    assert data["citations"] == []


CITED = {
    "organizations": (OrganizationCitation, OrganizationFactory, "founded"),
    "people": (PersonCitation, PersonFactory, "born"),
    "technologies": (TechnologyCitation, TechnologyFactory, "stage"),
}


@pytest.mark.parametrize("resource", CITED)
def test_listings_with_citations_cost_the_same_queries_with_1_and_50_rows(resource):
    citation_model, subject_factory, field = CITED[resource]

    def grow(count):
        for _ in range(count):
            source = SourceFactory(via=SourceFactory(via=SourceFactory()))
            citation_model.objects.create(subject=subject_factory(), source=source, fields=[field])

    (_, one), (response, fifty) = queries_with_1_and_50_rows(
        grow, client_for().get, f"{API}{resource}/", {"page_size": 50}
    )

    assert response.status_code == 200
    rows = response.json()["results"]
    assert sum(len(row["citations"]) for row in rows) == len(rows) > 1
    assert one == fifty <= QUERY_BUDGET
