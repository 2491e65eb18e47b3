import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.roles import EDITOR, WRITER, setup_roles

pytestmark = pytest.mark.django_db


def perms(name):
    return set(Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename"))


def test_migration_created_both_groups():
    assert {("articles", "add_article"), ("articles", "change_article")} <= perms(WRITER)
    assert ("articles", "publish_article") in perms(EDITOR)


def test_writer_writes_but_cannot_publish_or_keep_the_database(writer):
    assert writer.has_perms(["articles.add_article", "articles.change_article", "articles.view_article"])
    assert writer.has_perms(["articles.view_topic", "articles.view_source", "organizations.view_organization"])
    assert not writer.has_perm("articles.publish_article")
    assert not writer.has_perm("articles.delete_article")
    assert not writer.has_perm("organizations.change_organization")
    assert not writer.has_perm("investments.add_investment")
    assert not writer.has_perm("articles.add_correction")


def test_editor_publishes_and_keeps_the_database(editor):
    assert editor.has_perm("articles.publish_article")
    for app, model in [
        ("organizations", "organization"),
        ("organizations", "person"),
        ("organizations", "technology"),
        ("organizations", "technologystake"),
        ("organizations", "affiliation"),
        ("investments", "investment"),
        ("articles", "source"),
        ("articles", "topic"),
        ("articles", "correction"),
        ("articles", "article"),
    ]:
        for action in ("add", "change", "delete", "view"):
            assert editor.has_perm(f"{app}.{action}_{model}"), (app, action, model)


def test_running_setup_again_changes_nothing():
    before = {name: perms(name) for name in (WRITER, EDITOR)}
    assert setup_roles() == []
    call_command("setup_roles", stdout=io.StringIO())
    assert {name: perms(name) for name in (WRITER, EDITOR)} == before
    assert Group.objects.filter(name__in=[WRITER, EDITOR]).count() == 2


def test_setup_roles_restores_a_tampered_group(capsys):
    Group.objects.get(name=WRITER).permissions.clear()
    Group.objects.get(name=EDITOR).delete()
    call_command("setup_roles")
    assert "Writer: updated" in capsys.readouterr().out
    assert ("articles", "add_article") in perms(WRITER)
    assert ("articles", "publish_article") in perms(EDITOR)
