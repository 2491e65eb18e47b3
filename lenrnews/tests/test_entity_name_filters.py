"""Entity filters take a name or an alias as well as a slug, suggest names, and answer a wrong one with candidates."""

import pytest
from rest_framework.test import APIClient

from investments.models import Investment, InvestorOrganization
from organizations.models import Organization, Person, Technology, TechnologyStake

pytestmark = pytest.mark.django_db


@pytest.fixture
def leonardos():
    corporation = Organization.objects.create(name="Leonardo Corporation", aliases="Leonardo\nLeonardo Corp.")
    aerospace = Organization.objects.create(name="Leonardo S.p.A.", aliases="Leonardo\nFinmeccanica")
    deal = Investment.objects.create(title="Licence of the E-Cat", kind="license")
    InvestorOrganization.objects.create(investment=deal, organization=corporation)
    return corporation, aerospace, deal


@pytest.mark.parametrize(
    "typed", ["Leonardo Corporation", "leonardo corporation", "LEONARDO CORP", "leonardo-corporation"]
)
def test_a_name_an_alias_or_a_slug_finds_the_same_rows(client, leonardos, typed):
    page = client.get("/investments/", {"investor": typed})
    assert page.status_code == 200
    assert [deal.slug for deal in page.context["page_obj"]] == ["licence-of-the-e-cat"]
    listed = APIClient().get("/api/v1/investments/", {"investor": typed})
    assert [row["slug"] for row in listed.json()["results"]] == ["licence-of-the-e-cat"]


def test_a_shared_name_is_a_400_offering_both(client, leonardos):
    page = client.get("/investments/", {"investor": "Leonardo"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Leonardo Corporation" in text and "Leonardo S.p.A." in text and "choose one" in text
    api = APIClient().get("/api/v1/investments/", {"investor": "Leonardo"})
    assert api.status_code == 400 and "Leonardo S.p.A." in api.json()["investor"][0]


def test_an_unknown_name_is_a_400_with_near_names(client, leonardos):
    page = client.get("/investments/", {"investor": "Leonard"})
    assert page.status_code == 400
    assert "Did you mean Leonardo Corporation or Leonardo S.p.A.?" in page.content.decode()
    assert client.get("/investments/", {"investor": "Zzyzx"}).status_code == 400


def test_names_work_on_every_listing_with_entity_filters(client, leonardos):
    corporation, _, _ = leonardos
    person = Person.objects.create(name="Andrea Rossi")
    ecat = Technology.objects.create(name="E-Cat", aliases="Energy Catalyzer")
    TechnologyStake.objects.create(organization=corporation, technology=ecat, kind="owner")
    assert client.get("/organizations/", {"technology": "Energy Catalyzer"}).context["result_count"] == 1
    assert client.get("/technologies/", {"holder": "Leonardo Corp."}).context["result_count"] == 1
    assert client.get("/articles/", {"person": "andrea rossi"}).status_code == 200
    assert client.get("/people/", {"organization": "Finmeccanica"}).status_code == 200
    assert client.get("/events/", {"party": "Andrea Rossi"}).status_code == 200
    assert person.slug == "andrea-rossi"


def test_the_form_suggests_a_bounded_list_of_names(client, leonardos):
    for n in range(80):
        Technology.objects.create(name=f"Technology {n:03d}")
    page = client.get("/organizations/").content.decode()
    assert 'list="technology-suggestions"' in page
    datalist = page[page.index('<datalist id="technology-suggestions">') :]
    datalist = datalist[: datalist.index("</datalist>")]
    assert datalist.count("<option") == 50
    assert "/static/js/suggest.js" in page
