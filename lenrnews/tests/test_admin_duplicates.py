"""The admin's duplicate warning: adding a record that looks like a stored one lists the candidates above the form
with a box to tick; saving waits for the tick. The rule is the API's (lenrnews.duplicates)."""

import datetime

import pytest
from django.urls import reverse

from articles.models import Source
from articles.tests.factories import SourceFactory
from investments.models import Event, EventOrganization, Investment
from lenrnews.tests.admin_forms import admin_form_data, form_errors
from organizations.models import Organization, Person, Technology
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

WARNING = "Already in the database?"


def add(client, model, **changes):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    return client.post(url, admin_form_data(client.get(url), **changes))


@pytest.mark.parametrize(
    ("model", "factory", "fields"),
    [
        (Organization, OrganizationFactory, {"kind": "company"}),
        (Person, PersonFactory, {}),
        (Technology, TechnologyFactory, {"approach": "ni_h", "stage": "laboratory"}),
    ],
)
def test_adding_a_name_another_has_as_alias_warns_and_saves_once_confirmed(editor_client, model, factory, fields):
    stored = factory(name="Industrial Heat", slug="industrial-heat", aliases="IH")
    response = add(editor_client, model, name="I.H.", slug="i-h", **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert WARNING in html
    change_url = reverse(f"admin:organizations_{model._meta.model_name}_change", args=[stored.pk])
    assert f'href="{change_url}"' in html
    assert f'href="{stored.get_absolute_url()}"' in html
    assert 'name="confirm_distinct"' in html
    assert any("looks like a record already in the database" in e for e in form_errors(response))
    assert model.objects.count() == 1

    confirmed = add(editor_client, model, name="I.H.", slug="i-h", confirm_distinct=True, **fields)
    assert confirmed.status_code == 302, form_errors(confirmed)
    assert model.objects.count() == 2


def test_the_add_form_shows_no_box_without_a_candidate_and_an_edit_is_not_checked(editor_client):
    url = reverse("admin:organizations_organization_add")
    page = editor_client.get(url)
    assert WARNING not in page.content.decode() and 'name="confirm_distinct"' not in page.content.decode()
    created = add(editor_client, Organization, name="Cherokee Partners", slug="cherokee", kind="investor")
    assert created.status_code == 302
    OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    cherokee = Organization.objects.get(slug="cherokee")
    change = reverse("admin:organizations_organization_change", args=[cherokee.pk])
    response = editor_client.post(change, admin_form_data(editor_client.get(change), aliases="Industrial Heat"))
    assert response.status_code == 302, form_errors(response)


def test_adding_a_source_with_a_known_address_warns(editor_client):
    SourceFactory(title="IH in China", url="https://www.e-catworld.com/2015/10/20/ih-china/")
    changes = {"title": "Copy", "url": "http://e-catworld.com/2015/10/20/ih-china", "kind": "blog_post"}
    response = add(editor_client, Source, **changes)
    assert response.status_code == 200
    assert WARNING in response.content.decode() and "IH in China" in response.content.decode()
    assert Source.objects.count() == 1
    assert add(editor_client, Source, confirm_distinct=True, **changes).status_code == 302
    assert Source.objects.count() == 2


def test_adding_a_deal_with_the_same_kind_parties_and_year_warns(editor_client):
    ih = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    park = OrganizationFactory(name="Baishishan park", slug="baishishan")
    stored = Investment.objects.create(
        title="IH joins the park",
        slug="ih-joins-the-park",
        kind="technology_transfer",
        announced_on=datetime.date(2015, 1, 1),
        date_precision="year",
    )
    stored.investors.add(ih)
    stored.recipients.add(park)
    changes = {
        "title": "Industrial Heat signs with Baishishan",
        "slug": "ih-signs",
        "kind": "technology_transfer",
        "currency": "USD",
        "announced_on": "2015-10-20",
        "date_precision": "day",
        "confidence": "reported",
        "investororganization_set-0-organization": str(ih.pk),
        "recipientorganization_set-0-organization": str(park.pk),
    }
    response = add(editor_client, Investment, **changes)
    assert response.status_code == 200
    assert WARNING in response.content.decode() and "IH joins the park" in response.content.decode()
    assert any("looks like a record already in the database" in e for e in form_errors(response))
    assert Investment.objects.count() == 1
    # Another year is another deal.
    other = add(editor_client, Investment, **{**changes, "announced_on": "2016-10-20", "slug": "other"})
    assert other.status_code == 302, form_errors(other)
    confirmed = add(editor_client, Investment, confirm_distinct=True, **changes)
    assert confirmed.status_code == 302, form_errors(confirmed)
    assert Investment.objects.count() == 3


def test_adding_an_event_with_the_same_kind_parties_and_month_warns(editor_client):
    ih = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    stored = Event.objects.create(
        title="Rossi sues IH", slug="rossi-sues-ih", kind="lawsuit_filed", occurred_on=datetime.date(2016, 4, 1),
        date_precision="month",
    )  # fmt: skip
    EventOrganization.objects.create(event=stored, organization=ih)
    changes = {
        "title": "Lawsuit against IH",
        "slug": "lawsuit-against-ih",
        "kind": "lawsuit_filed",
        "occurred_on": "2016-04-05",
        "date_precision": "day",
        "confidence": "reported",
        "eventorganization_set-0-organization": str(ih.pk),
    }
    response = add(editor_client, Event, **changes)
    assert response.status_code == 200
    assert WARNING in response.content.decode() and "Rossi sues IH" in response.content.decode()
    assert Event.objects.count() == 1
    assert add(editor_client, Event, confirm_distinct=True, **changes).status_code == 302
    assert Event.objects.count() == 2
