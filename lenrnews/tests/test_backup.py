"""``export_data`` then ``import_data`` into an empty database gives back every row and every link.

Runs on the database the suite runs on (SQLite by default; PostgreSQL with DATABASE_URL).
"""

import datetime
import gzip
import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article
from articles.roles import EDITOR
from articles.tests.factories import ArticleFactory, CorrectionFactory, UserFactory
from lenrnews.backup import EXCLUDED
from organizations.models import Organization

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # UserFactory's
# Named by natural key in a backup: their ids may differ from one database to the next.
NATURAL = (ContentType, Permission, Group)


def excluded(model):
    return model._meta.label in EXCLUDED or (
        model._meta.auto_created and model._meta.auto_created._meta.label in EXCLUDED
    )


def snapshot():
    """Every row of every table a backup carries, read with the ORM (not the backup's serializer).

    Rows keep their ids, except the rows of many-to-many tables (a link is its two ends);
    content types, permissions and groups are named by natural key wherever they appear.
    Stored search vectors are left out: the database computes them from the row.
    """
    names = {model: {obj.pk: obj.natural_key() for obj in model._base_manager.all()} for model in NATURAL}
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or excluded(model):
            continue
        fields = [f for f in model._meta.concrete_fields if not isinstance(f, SearchVectorField)]
        link_table = bool(model._meta.auto_created)
        if link_table:
            fields = [f for f in fields if not f.primary_key]
        rows = []
        for values in model._base_manager.order_by("pk").values_list(*[f.attname for f in fields]):
            row = []
            for field, value in zip(fields, values, strict=True):
                target = field.related_model if field.is_relation else (model if field.primary_key else None)
                row.append(names[target].get(value, value) if target in NATURAL and value is not None else value)
            rows.append(tuple(row))
        tables[model._meta.db_table] = sorted(rows, key=repr) if link_table else rows
    return tables


def empty_database():
    """What `migrate` leaves in a new database: content types, permissions and the roles' groups, no data."""
    connection.check_constraints()  # PostgreSQL empties no table with checks still pending in the transaction
    call_command("flush", interactive=False, verbosity=0)  # and post_migrate makes the content types again
    call_command("setup_roles", stdout=StringIO())  # what the roles' data migration does


@pytest.fixture
def everything(client):
    """The demo data, and one of everything else a backup must carry."""
    call_command("load_demo", stdout=StringIO())
    # Content type and permission ids that a new database will not reproduce.
    ContentType.objects.get_for_model(Organization).delete()
    ContentType.objects.clear_cache()
    create_permissions(apps.get_app_config("organizations"), verbosity=0)
    call_command("setup_roles", stdout=StringIO())

    editor = UserFactory(username="edith", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    editor.user_permissions.add(Permission.objects.get(codename="change_organization"))
    Group.objects.create(name="Readers").permissions.add(Permission.objects.get(codename="view_organization"))
    Token.objects.create(user=editor)
    organization = Organization.objects.get(slug="industrial-heat")
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=str(organization.pk),
        object_repr=str(organization),
        action_flag=CHANGE,
        change_message="Changed summary.",
    )
    organization.summary = "A summary edited later (a second revision)."
    organization.save()
    CorrectionFactory(article=Article.objects.get())
    # A revision whose author has since left: it refers to a row that no longer exists.
    gone = UserFactory(username="gone")
    ArticleFactory(author=gone, slug="by-someone-gone")
    gone.delete()
    # The login log (axes): a failed and a successful login.
    client.post("/admin/login/", {"username": "edith", "password": "wrong"})
    client.post("/admin/login/", {"username": "edith", "password": PASSWORD})
    yield editor
    # The content type ids this test made are rolled back with it; Django caches them per process.
    ContentType.objects.clear_cache()


def test_a_backup_restores_every_row_and_link_into_an_empty_database(everything, tmp_path):
    before = snapshot()
    assert all(
        before[table] for table in ("organizations_historicalorganization", "auth_user_groups", "django_admin_log")
    )

    backup = tmp_path / "backup.json.gz"
    call_command("export_data", str(backup), stdout=StringIO(), stderr=StringIO())
    empty_database()
    assert snapshot() != before
    call_command("import_data", str(backup), stdout=StringIO())

    after = snapshot()
    for table, rows in before.items():
        assert after[table] == rows, table
    # Every table is compared, or left out of a backup on purpose (django_migrations: migrate's own record).
    left_out = {model._meta.db_table for model in apps.get_models(include_auto_created=True) if excluded(model)}
    left_out.add("django_migrations")
    # What SQLite keeps beside the rows: its full-text indexes (a virtual table and its shadow
    # tables per index), which the triggers fill from the rows, and the planner's statistics.
    tables = set(connection.introspection.table_names())
    kept_by_the_database = r".+_fts(_names)?(_data|_idx|_docsize|_config)?|sqlite_stat\d"
    left_out |= {name for name in tables if re.fullmatch(kept_by_the_database, name)}
    assert tables == set(before) | left_out


def test_a_restored_site_works(everything, tmp_path):
    """The restored accounts log in and their tokens work; new rows get new ids; old sign-ins are gone."""
    token = Token.objects.get(user=everything).key
    backup = tmp_path / "backup.json"
    call_command("export_data", str(backup), stdout=StringIO(), stderr=StringIO())
    empty_database()
    call_command("import_data", str(backup), stdout=StringIO())

    client = APIClient()
    assert client.post("/admin/login/", {"username": "edith", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/organizations/organization/").status_code == 200
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.patch("/api/v1/organizations/industrial-heat/", {"city": "Raleigh"}, format="json")
    assert response.status_code == 200
    created = api.post("/api/v1/topics/", {"name": "After the restore", "slug": "after-the-restore"}, format="json")
    assert created.status_code == 201
    assert Organization.objects.get(slug="industrial-heat").history.count() == 3


def test_timestamps_keep_their_microseconds(everything, tmp_path):
    moment = datetime.datetime(2015, 10, 20, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    Organization.objects.filter(slug="industrial-heat").update(updated_at=moment)
    backup = tmp_path / "backup.json.gz"
    call_command("export_data", str(backup), stdout=StringIO(), stderr=StringIO())

    rows = json.loads(gzip.decompress(backup.read_bytes()))
    (row,) = [
        r for r in rows if r["model"] == "organizations.organization" and r["fields"]["slug"] == "industrial-heat"
    ]
    assert row["fields"]["updated_at"] == "2015-10-20T09:30:15.123456Z"
    # Natural keys where ids differ between databases; ids everywhere else.
    (entry,) = [r for r in rows if r["model"] == "admin.logentry"]
    assert entry["fields"]["content_type"] == ["organizations", "organization"]
    (user,) = [r for r in rows if r["model"] == "auth.user" and r["fields"]["username"] == "edith"]
    assert ["change_organization", "organizations", "organization"] in user["fields"]["user_permissions"]
    assert user["pk"] == everything.pk
    assert not {r["model"] for r in rows} & {label.lower() for label in EXCLUDED}


def test_import_refuses_a_database_that_holds_data(everything, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("export_data", str(backup), stdout=StringIO(), stderr=StringIO())
    before = snapshot()

    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_data", str(backup), stdout=StringIO())
    assert snapshot() == before
