"""Nobody is on both sides of a deal: the same answer through the admin and the API."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from investments.models import Investment
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.admin_forms import admin_form_data
from lenrnews.tests.api_support import editor
from organizations.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_rule_names_the_recipient():
    heat, park = OrganizationFactory(name="Industrial Heat"), OrganizationFactory()
    errors = Investment.party_errors(investors=[heat], recipients=[park, heat])
    assert errors == {"investors": "Industrial Heat: a recipient of this deal cannot also be one of its investors."}
    assert Investment.party_errors(investors=[heat], recipients=[park]) == {}
    assert Investment.party_errors(investors=[heat], recipients=[]) == {}
    darden = PersonFactory(name="Tom Darden")
    errors = Investment.party_errors(investor_people=[darden], recipient_people=[darden])
    assert "Tom Darden: a recipient" in errors["investor_people"]


def api_client(client):
    token = Token.objects.create(user=editor())
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_the_api_refuses_a_deal_whose_investor_is_its_recipient(client):
    heat = OrganizationFactory(slug="industrial-heat")
    payload = {
        "title": "Industrial Heat invests in itself",
        "kind": "equity",
        "investors": ["industrial-heat"],
        "recipients": ["industrial-heat"],
        "confidence": "reported",
    }
    response = api_client(client).post("/api/v1/investments/", payload, content_type="application/json")
    assert response.status_code == 400
    assert "cannot also be one of its investors" in response.json()["investors"][0]
    assert not Investment.objects.exists()

    deal = InvestmentFactory(recipients=[heat])
    response = client.patch(
        f"/api/v1/investments/{deal.slug}/", {"investors": ["industrial-heat"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(deal.investors.all()) == []

    both_sides = [
        {"side": "investor", "organization": "industrial-heat"},
        {"side": "recipient", "organization": "industrial-heat"},
    ]
    response = client.patch(
        f"/api/v1/investments/{deal.slug}/", {"parties": both_sides}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "cannot also be one of its investors" in response.json()["investors"][0]
    assert list(deal.investors.all()) == []


def test_the_admin_refuses_a_deal_whose_investor_is_its_recipient(admin_client):
    heat = OrganizationFactory(name="Industrial Heat")
    deal = InvestmentFactory(recipients=[heat])
    url = reverse("admin:investments_investment_change", args=[deal.pk])
    data = admin_form_data(admin_client.get(url))
    prefix = "investororganization_set"
    data[f"{prefix}-0-organization"] = str(heat.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "cannot also be one of its investors" in response.content.decode()
    assert list(deal.investors.all()) == []


def test_the_admin_refuses_a_person_on_both_sides(admin_client):
    darden = PersonFactory(name="Tom Darden")
    deal = InvestmentFactory(recipient_people=[darden])
    url = reverse("admin:investments_investment_change", args=[deal.pk])
    data = admin_form_data(admin_client.get(url))
    data.update({"investorperson_set-TOTAL_FORMS": "1", "investorperson_set-0-person": str(darden.pk)})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Tom Darden: a recipient of this deal cannot also be one of its investors" in response.content.decode()
    assert list(deal.investor_people.all()) == []
