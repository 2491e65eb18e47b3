"""Every list of the admin exports its selected rows as CSV and as a spreadsheet (XLSX)."""

import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from articles.tests.factories import ArticleFactory, TopicFactory
from lenrnews.admin import export_selected_csv, export_selected_xlsx
from lenrnews.tests.spreadsheets import export, read_csv_response
from organizations.tests.factories import OrganizationFactory


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.org", "correct-horse-battery")


@pytest.mark.django_db
def test_every_admin_list_offers_both_exports_and_each_writes_a_file(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert len(admin.site._registry) > 20
    without_actions = set()
    for model, model_admin in admin.site._registry.items():
        if model_admin.actions is None:  # a list that selects nothing
            without_actions.add(model._meta.label)
            continue
        actions = model_admin.get_actions(request)
        assert {"export_selected_csv", "export_selected_xlsx"} <= set(actions), model
        queryset = model_admin.get_queryset(request)
        csv_file = export_selected_csv(model_admin, request, queryset)
        assert csv_file.status_code == 200, model
        xlsx_file = export_selected_xlsx(model_admin, request, queryset)
        assert load_workbook(io.BytesIO(xlsx_file.content)).active.max_row >= 1, model
    # DRF's list of API tokens has no actions at all (nor should its secrets leave in a file).
    assert without_actions == {"authtoken.TokenProxy"}


@pytest.mark.django_db
def test_a_list_without_a_spreadsheet_of_its_own_exports_its_fields(editor_client):
    topic = TopicFactory(name="Cold Fusion", slug="cold-fusion")
    chosen = ArticleFactory(title="Chosen", slug="chosen")
    chosen.topics.add(topic)
    ArticleFactory(title="Left out", slug="left-out")
    listing = reverse("admin:articles_article_changelist")
    rows = read_csv_response(export(editor_client, listing, "export_selected_csv", [chosen.pk]))
    header, *data = rows
    assert {"id", "title", "slug", "body", "status", "publish_at", "author", "topics"} <= set(header)
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert (row["title"], row["topics"], row["status"]) == ("Chosen", "cold-fusion", "published")
    assert row["author"] == chosen.author.username


@pytest.mark.django_db
def test_secrets_are_never_exported(superuser, client):
    client.force_login(superuser)
    Token.objects.create(user=superuser)
    users = read_csv_response(
        export(client, reverse("admin:auth_user_changelist"), "export_selected_csv", [superuser.pk])
    )
    assert "password" not in users[0] and "username" in users[0]
    assert superuser.password not in str(users)


@pytest.mark.django_db
def test_exports_need_the_view_permission_only(writer_client, client):
    """A writer, who may only view organizations, exports them; a staff account without it cannot."""
    organization = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    listing = reverse("admin:organizations_organization_changelist")
    rows = read_csv_response(export(writer_client, listing, "export_selected_csv", [organization.pk]))
    assert rows[1][:2] == ["industrial-heat", "Industrial Heat"]
    nobody = get_user_model().objects.create_user("nobody", password="correct-horse-battery", is_staff=True)
    client.force_login(nobody)
    assert export(client, listing, "export_selected_csv", [organization.pk]).status_code == 403
