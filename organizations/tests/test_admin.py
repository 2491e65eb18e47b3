"""Keeping organizations, people, technologies and their claims in the admin."""

import html

import pytest
from django.urls import reverse

from articles.tests.factories import SourceFactory
from lenrnews.models import Confidence
from lenrnews.tests.admin_forms import form_errors, inline_management
from organizations.models import Affiliation, Organization, Person, TechnologyStake
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db


def organization_form(**overrides):
    return {
        "name": "Industrial Heat",
        "slug": "industrial-heat",
        "aliases": "IH\nIndustrial Heat LLC",
        "kind": Organization.Kind.COMPANY,
        "country": "US",
        "city": "Raleigh, North Carolina",
        "founded": "",
        "dissolved": "",
        "website": "",
        "summary": "",
        "description": "",
        "notes": "",
        **inline_management("citations"),
        **inline_management("affiliations"),
        **inline_management("stakes"),
        **overrides,
    }


def affiliation_row(prefix, index, **values):
    row = {
        "role": Affiliation.Role.CEO,
        "title": "",
        "start": "",
        "start_precision": "day",
        "end": "",
        "end_precision": "day",
        "confidence": Confidence.REPORTED,
        "notes": "",
        **values,
    }
    return {f"{prefix}-{index}-{name}": value for name, value in row.items()}


def stake_row(index, **values):
    row = {
        "kind": "owner",
        "since": "",
        "since_precision": "day",
        "until": "",
        "until_precision": "day",
        "confidence": Confidence.REPORTED,
        "notes": "",
    }
    return {f"stakes-{index}-{name}": value for name, value in {**row, **values}.items()}


def test_an_editor_records_an_organization_with_its_people_and_portfolio(admin_client):
    person, technology = PersonFactory(name="Tom Darden"), TechnologyFactory(name="E-Cat")
    registry = SourceFactory(publisher="North Carolina Secretary of State")
    data = organization_form(
        founded="2013",
        **inline_management("citations", total=1),
        **{"citations-0-source": registry.pk, "citations-0-fields_cited": ["founded", "city"], "citations-0-quote": ""},
        **inline_management("affiliations", total=1),
        **affiliation_row("affiliations", 0, person=person.pk, role="backer"),
        **inline_management("stakes", total=1),
        **stake_row(0, technology=technology.pk, since="2015-01-01", since_precision="year"),
    )

    response = admin_client.post(reverse("admin:organizations_organization_add"), data)

    assert response.status_code == 302, form_errors(response)
    heat = Organization.objects.get(slug="industrial-heat")
    assert heat.affiliations.get().person == person
    stake = heat.stakes.get()
    assert (stake.technology, stake.since_display) == (technology, "2015")
    assert stake.is_current, "no end given: it lasts"
    citation = heat.citations.get()
    assert (citation.source, citation.fields) == (registry, ["founded", "city"])


def test_dissolved_before_founded_is_a_form_error(admin_client):
    response = admin_client.post(
        reverse("admin:organizations_organization_add"), organization_form(founded="2016", dissolved="2015")
    )
    assert response.status_code == 200
    assert "An organization cannot be dissolved before it was founded." in form_errors(response)
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"country": "XX"}, "Select a valid choice."),
        ({"founded": "-3"}, "Ensure this value is greater than or equal to 0."),
        ({"founded": "abc"}, "Enter a whole number."),
        ({"kind": "spaceship"}, "Select a valid choice."),
        ({"slug": "not a slug!"}, "Enter a valid “slug”"),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_bad_organization_input_is_a_form_error(admin_client, overrides, message):
    response = admin_client.post(reverse("admin:organizations_organization_add"), organization_form(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)), form_errors(response)
    assert not Organization.objects.exists()


def test_an_organization_cannot_be_its_own_parent(admin_client):
    heat = OrganizationFactory(slug="industrial-heat")
    response = admin_client.post(
        reverse("admin:organizations_organization_change", args=[heat.pk]),
        organization_form(parent=heat.pk),
    )
    assert response.status_code == 200
    assert "An organization cannot be its own parent." in form_errors(response)


def test_a_slug_already_taken_is_a_form_error(admin_client):
    OrganizationFactory(slug="industrial-heat")
    response = admin_client.post(reverse("admin:organizations_organization_add"), organization_form())
    assert response.status_code == 200
    assert form_errors(response)


def test_a_role_ending_before_it_starts_is_a_form_error_in_the_affiliation_admin(admin_client):
    person, organization = PersonFactory(), OrganizationFactory()
    data = {
        key.removeprefix("x-0-"): value
        for key, value in affiliation_row("x", 0, start="2016-01-01", end="2015-01-01").items()
    }
    response = admin_client.post(
        reverse("admin:organizations_affiliation_add"), {**data, "person": person.pk, "organization": organization.pk}
    )
    assert response.status_code == 200
    assert "A role cannot end before it starts." in form_errors(response)
    assert not Affiliation.objects.exists()


def test_a_role_ending_before_it_starts_is_a_form_error_on_the_persons_page(admin_client):
    organization = OrganizationFactory()
    data = {
        "name": "Tom Darden",
        "slug": "tom-darden",
        "aliases": "",
        "country": "US",
        "website": "",
        "bio": "",
        **inline_management("affiliations", total=1),
        **affiliation_row("affiliations", 0, organization=organization.pk, start="2016-01-01", end="2015-01-01"),
    }
    response = admin_client.post(reverse("admin:organizations_person_add"), data)
    assert response.status_code == 200
    assert "A role cannot end before it starts." in form_errors(response)
    assert not Person.objects.exists()
    assert not Affiliation.objects.exists()


def test_the_same_stake_twice_is_a_form_error(admin_client):
    technology = TechnologyFactory()
    data = organization_form(
        **inline_management("stakes", total=2),
        **stake_row(0, technology=technology.pk),
        **stake_row(1, technology=technology.pk),
    )
    response = admin_client.post(reverse("admin:organizations_organization_add"), data)
    assert response.status_code == 200
    assert form_errors(response)
    assert not TechnologyStake.objects.exists()


def test_a_stake_that_already_exists_is_a_form_error_on_the_technology_page(admin_client):
    stake = TechnologyStakeFactory(kind="owner")
    technology = stake.technology
    data = {
        "name": technology.name,
        "slug": technology.slug,
        "aliases": "",
        "approach": technology.approach,
        "stage": technology.stage,
        "summary": "",
        "description": "",
        **inline_management("stakes", total=2, initial=1),
        "stakes-0-id": stake.pk,
        "stakes-0-technology": technology.pk,
        **stake_row(0, organization=stake.organization.pk),
        **stake_row(1, organization=stake.organization.pk),
    }
    response = admin_client.post(reverse("admin:organizations_technology_change", args=[technology.pk]), data)
    assert response.status_code == 200
    assert form_errors(response)
    assert TechnologyStake.objects.count() == 1


def test_the_organization_page_shows_its_people_and_portfolio(admin_client):
    stake = TechnologyStakeFactory(technology__name="E-Cat")
    AffiliationFactory(organization=stake.organization, person__name="Tom Darden")

    content = admin_client.get(reverse("admin:organizations_organization_change", args=[stake.organization.pk]))
    content = content.content.decode()

    assert "People and their roles" in content
    assert "Tom Darden" in content
    assert "Technology portfolio" in content
    assert "E-Cat" in content
    assert "How sure we are." in content, "editors see what confidence levels mean"
    assert "How much of the date is known." in content


def test_add_pages_make_the_slug_from_the_name(admin_client):
    for url in ["organizations_organization_add", "organizations_person_add", "organizations_technology_add"]:
        content = html.unescape(admin_client.get(reverse(f"admin:{url}")).content.decode())
        assert '"id": "#id_slug"' in content
        assert '"dependency_ids": ["#id_name"]' in content


def test_people_changelist_shows_their_roles(admin_client):
    AffiliationFactory(person__name="Tom Darden", organization__name="Cherokee Partners", role="ceo")
    content = admin_client.get(reverse("admin:organizations_person_changelist")).content.decode()
    assert "CEO, Cherokee Partners" in content


def test_deleting_an_organization_with_deals_is_refused_in_the_admin(admin_client):
    from investments.tests.factories import InvestmentFactory

    investor = OrganizationFactory(name="Cherokee Partners")
    InvestmentFactory(title="Backing", investors=[investor])
    url = reverse("admin:organizations_organization_delete", args=[investor.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert "protected" in page.content.decode()
    assert response.status_code == 200
    assert Organization.objects.filter(pk=investor.pk).exists()


def test_the_delete_action_removes_organizations_without_facts_and_keeps_the_others(admin_client):
    from investments.tests.factories import InvestmentFactory

    idle, busy = OrganizationFactory(name="Idle"), OrganizationFactory(name="Busy")
    InvestmentFactory(recipients=[busy])
    url = reverse("admin:organizations_organization_changelist")
    delete = {"action": "delete_selected", "post": "yes"}

    refused = admin_client.post(url, {**delete, "_selected_action": [idle.pk, busy.pk]})
    deleted = admin_client.post(url, {**delete, "_selected_action": [idle.pk]})

    assert refused.status_code == 200
    assert "protected" in refused.content.decode()
    assert deleted.status_code == 302
    assert list(Organization.objects.values_list("name", flat=True)) == ["Busy"]
