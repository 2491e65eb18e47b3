"""Every page of the editors' admin works, for models registered by any app."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.backend import DatabaseBackend
from rest_framework.authtoken.models import Token

from articles.models import Article, Redirect, Source
from articles.tasks import redetect_mentions
from articles.tests.factories import ArticleFactory, CorrectionFactory
from investments.models import Event, Investment
from investments.tests.factories import EventFactory, InvestmentFactory
from lenrnews.tests.admin_forms import inline_management
from lenrnews.tests.query_counts import queries_with_1_and_50_rows
from organizations.models import OrganizationCitation, PersonCitation, Technology, TechnologyCitation

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def everything(admin_user):
    """At least one row of every model the admin shows: the demo data and a few more."""
    call_command("load_demo", stdout=StringIO())
    Group.objects.get_or_create(name="Readers")
    CorrectionFactory(article=Article.objects.get())
    Redirect.objects.create(old_path="/2015/10/industrial-heat-china/", article=Article.objects.get())  # an old address
    ArticleFactory(title="Heat in the trash").trash()  # the Trash admins show these
    InvestmentFactory(title="Heat deal in the trash").trash()
    deal = Investment.objects.get(slug="industrial-heat-baishishan-park-agreement")
    signed = EventFactory(
        title="Heat signs at Baishishan", kind=Event.Kind.DEAL_STATUS, new_status="signed", investments=[deal]
    )
    signed.organizations.add(deal.investors.get(), through_defaults={"role": "signatory"})
    signed.people.add(deal.investor_people.get())
    OrganizationCitation.objects.create(subject=deal.investors.get(), source=Source.objects.first(), fields=["city"])
    PersonCitation.objects.create(subject=deal.investor_people.get(), source=Source.objects.first(), fields=["name"])
    TechnologyCitation.objects.create(subject=Technology.objects.get(), source=Source.objects.first(), fields=["name"])
    from articles.models import ArticleAuthor, Author, Image

    author = Author.objects.create(display_name="Heat Reporter", slug="heat-reporter")
    ArticleAuthor.objects.create(article=Article.objects.get(slug__startswith="industrial-heat"), author=author)
    Image.objects.create(
        alt="Heat exchanger", original="images/0/original.png", format="PNG", width=10, height=10, renditions=[]
    )
    Token.objects.get_or_create(user=admin_user)
    # A background task as production stores them (the database backend; tests run them at once).
    DatabaseBackend("default", {}).enqueue(redetect_mentions, [], {"kind": "organization", "pk": 1, "names": ["IH"]})
    Client().post(reverse("admin:login"), {"username": admin_user.username, "password": "wrong"})  # axes' records


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_changelist_add_and_change_pages_render_for_a_superuser(
    admin_client, admin_user, rf, everything, model, model_admin
):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "heat"}).status_code == 200
    request = rf.get("/admin/")
    request.user = admin_user
    if model_admin.has_add_permission(request):
        assert admin_client.get(admin_url(model, "add")).status_code == 200

    obj = model._default_manager.first()
    assert obj is not None, f"no {model._meta.label} to open: add one to the `everything` fixture"
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert admin_client.get(admin_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_every_changelist_column_sorts(admin_client, everything, model, model_admin):
    """Sorting by any column (and the filters' first choice) never breaks the changelist."""
    url = admin_url(model, "changelist")
    for index in range(1, len(model_admin.list_display) + 1):
        assert admin_client.get(url, {"o": f"-{index}"}).status_code == 200
    response = admin_client.get(url)
    for spec in response.context["cl"].filter_specs:
        for choice in list(spec.choices(response.context["cl"]))[1:2]:
            assert admin_client.get(url + choice["query_string"]).status_code == 200


def changelist_names(admin_client, model, **params):
    response = admin_client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def test_admin_search_finds_an_organization_by_alias(admin_client, everything):
    from organizations.models import Organization

    assert changelist_names(admin_client, Organization, q="IH") == {"Industrial Heat"}
    assert "Government of the People's Republic of China" in changelist_names(admin_client, Organization, q="PRC")
    assert changelist_names(admin_client, Organization, q="Industrial Heat LLC") == {"Industrial Heat"}


def test_admin_search_finds_people_technologies_and_deals_by_alias(admin_client, everything):
    from investments.models import Investment
    from organizations.models import Person

    assert changelist_names(admin_client, Person, q="Darden") == {"Tom Darden"}
    assert changelist_names(admin_client, Investment, q="IH") == {
        "Industrial Heat agrees to participate in the Baishishan International Innovation Park"
    }
    assert changelist_names(admin_client, Investment, q="PRC") == {
        "China's government plans a $121 million LENR investment at the Baishishan park"
    }


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name", "term", "expected"),
    [
        ("investments", "recipientorganization", "organization", "Baishishan", "Baishishan International"),
        ("investments", "recipientperson", "person", "Darden", "Tom Darden"),
        ("investments", "event", "investments", "Baishishan", "Industrial Heat agrees"),
        ("investments", "eventorganization", "organization", "IH", "Industrial Heat"),
        ("articles", "source", "speaker_organization", "IH", "Industrial Heat"),
        ("articles", "source", "speaker_person", "Macy", "Marianne Macy"),
        ("organizations", "organizationcitation", "source", "HydroFusion", "HydroFusion"),
        ("investments", "investorperson", "person", "Darden", "Tom Darden"),
        ("investments", "investororganization", "organization", "IH", "Industrial Heat"),
        ("investments", "investment", "sources", "HydroFusion", "HydroFusion"),
        ("investments", "investment", "reported_in", "Industrial Heat", "Industrial Heat signs deal"),
        ("investments", "investment", "technologies", "e-cat", "E-Cat"),
        ("organizations", "affiliation", "organization", "Cherokee", "Cherokee Partners"),
        ("organizations", "technologystake", "investment", "Baishishan", "Industrial Heat agrees"),
        ("organizations", "technology", "inventors", "Rossi", "Andrea Rossi"),
    ],
)
def test_relations_are_picked_by_name_not_by_id(
    admin_client, everything, app_label, model_name, field_name, term, expected
):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert any(expected in result["text"] for result in response.json()["results"])


def test_revision_history_shows_who_changed_what(admin_client, everything):
    from organizations.models import Organization

    heat = Organization.objects.get(slug="industrial-heat")
    response = admin_client.post(
        admin_url(Organization, "change", heat.pk),
        {
            "name": heat.name,
            "slug": heat.slug,
            "aliases": heat.aliases,
            "kind": heat.kind,
            "country": "US",
            "city": "Raleigh, North Carolina",
            "summary": heat.summary,
            "description": heat.description,
            "notes": heat.notes,
            **_existing_inlines(heat),
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    history = admin_client.get(admin_url(Organization, "history", heat.pk))
    assert b"admin" in history.content
    assert heat.history.first().city == "Raleigh, North Carolina"
    assert heat.history.first().history_user.username == "admin"


def _existing_inlines(organization):
    """The posted state of an organization's inlines, unchanged."""
    data = {}
    citations = list(organization.citations.all())
    data.update(inline_management("citations", total=len(citations), initial=len(citations)))
    for index, citation in enumerate(citations):
        data.update(
            {
                f"citations-{index}-id": citation.pk,
                f"citations-{index}-subject": organization.pk,
                f"citations-{index}-source": citation.source_id,
                f"citations-{index}-fields_cited": citation.fields,
                f"citations-{index}-quote": citation.quote,
            }
        )
    for prefix, rows in (("affiliations", organization.affiliations.all()), ("stakes", organization.stakes.all())):
        rows = list(rows)
        data.update(inline_management(prefix, total=len(rows), initial=len(rows)))
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-organization"] = organization.pk
            for field in row._meta.concrete_fields:
                if field.name in {"id", "organization", "created_at", "updated_at"}:
                    continue
                value = getattr(row, field.attname)
                if value is False:
                    continue  # an unticked box is not posted
                data[f"{prefix}-{index}-{field.name}"] = "" if value is None else value
            for field in ("sources", "reported_in"):
                data[f"{prefix}-{index}-{field}"] = [str(pk) for pk in getattr(row, field).values_list("pk", flat=True)]
    return data


@pytest.mark.parametrize(
    "label",
    [
        "organizations.Organization",
        "organizations.Person",
        "organizations.Affiliation",
        "organizations.Technology",
        "organizations.TechnologyStake",
        "investments.Investment",
    ],
)
def test_changelists_run_the_same_number_of_queries_for_1_and_50_rows(admin_client, label):
    from django.apps import apps

    from investments.tests.factories import InvestmentFactory
    from organizations.tests.factories import (
        AffiliationFactory,
        OrganizationFactory,
        PersonFactory,
        TechnologyStakeFactory,
    )

    def rows(count):
        for _ in range(count):
            investor, person = OrganizationFactory(), PersonFactory()
            deal = InvestmentFactory(investors=[investor])
            deal.investor_people.add(person)
            AffiliationFactory(person=person, organization=investor)
            stake = TechnologyStakeFactory(organization=investor, investment=deal)
            stake.technology.inventors.add(person)

    model = apps.get_model(label)
    url = admin_url(model, "changelist")
    (first, with_one), (response, with_fifty) = queries_with_1_and_50_rows(rows, admin_client.get, url)
    assert (first.status_code, response.status_code) == (200, 200)
    assert model.objects.count() >= 50
    assert with_fifty == with_one
