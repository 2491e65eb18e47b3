"""Two editors on one change form: the second save is refused with a form error, not written over the first
(``lenrnews/stale_edits.py``), whichever door (the admin or the API) the first change came through."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.roles import EDITOR
from articles.tests.factories import TopicFactory, UserFactory
from lenrnews.rest import viewset_serving
from lenrnews.stale_edits import VERSION_FIELD
from lenrnews.tests.admin_forms import admin_form_data, form_errors
from lenrnews.tests.api_support import API, RICH_ROWS, client_for, role

pytestmark = pytest.mark.django_db

RESOURCES = list(RICH_ROWS)  # every content model with a change form, by its API name
TEXT_FIELDS = ("notes", "summary", "description", "bio", "standfirst", "reliability")
STALE = "Someone else changed this record since you opened it"


@pytest.fixture
def alice(editor):
    return editor


@pytest.fixture
def bob(db):
    user = UserFactory(username="bob", is_staff=True)
    user.groups.add(role(EDITOR))
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(row):
    opts = row._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])


def api_url(resource, row):
    lookup = viewset_serving(type(row)).lookup_field
    return f"{API}{resource}/{getattr(row, lookup)}/"


def text_field(page):
    """A free text field of the change form, any value of which is valid."""
    fields = page.context["adminform"].form.fields
    return next(name for name in TEXT_FIELDS if name in fields)


def version_in(page):
    """The version the change form carries, read from its HTML as a browser would post it."""
    found = re.findall(rf'<input type="hidden" name="{VERSION_FIELD}" value="([^"]*)"', page.content.decode())
    assert len(found) == 1, "the change form carries the version once"
    return found[0]


def revisions(row):
    return type(row).history.filter(pk=row.pk).count()


def save_through_the_admin(user, row, **changes):
    client = signed_in(user)
    url = change_url(row)
    response = client.post(url, admin_form_data(client.get(url), **changes))
    assert response.status_code == 302, form_errors(response)


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_save_over_a_change_made_in_the_admin_since_the_form_was_opened_is_refused(resource, alice, bob):
    row = RICH_ROWS[resource]()
    client, url = signed_in(alice), change_url(row)
    page = client.get(url)
    field = text_field(page)
    assert version_in(page)

    save_through_the_admin(bob, row, **{field: "Bob's change."})
    kept = revisions(row)
    response = client.post(url, admin_form_data(page, **{field: "Alice's change."}))

    assert response.status_code == 200
    assert any(error.startswith(STALE) and "by bob" in error for error in form_errors(response))
    assert STALE in response.content.decode()
    assert response.context["adminform"].form[field].value() == "Alice's change."  # what she typed is kept
    row.refresh_from_db()
    assert getattr(row, field) == "Bob's change."
    assert revisions(row) == kept


@pytest.mark.parametrize("resource", ["articles", "organizations", "investments", "events"])
def test_a_save_over_a_change_made_through_the_api_since_the_form_was_opened_is_refused(resource, alice, bob):
    row = RICH_ROWS[resource]()
    client, url = signed_in(alice), change_url(row)
    page = client.get(url)
    field = text_field(page)

    api = client_for(bob).patch(api_url(resource, row), {field: "Bob's change."}, format="json")
    response = client.post(url, admin_form_data(page, **{field: "Alice's change."}))

    assert api.status_code == 200, api.content
    assert response.status_code == 200
    assert any(error.startswith(STALE) for error in form_errors(response))
    row.refresh_from_db()
    assert getattr(row, field) == "Bob's change."


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_form_carries_the_version_the_api_gives_as_the_etag(resource, alice):
    """One rule for both doors: the version in the change form is the ETag the same editor reads in the API."""
    row = RICH_ROWS[resource]()

    etag = client_for(alice).get(api_url(resource, row))["ETag"]

    assert version_in(signed_in(alice).get(change_url(row))) == etag.strip('"')


@pytest.mark.parametrize("resource", ["articles", "organizations", "investments", "events"])
def test_one_editor_saves_and_saves_again_after_reloading(resource, alice):
    row = RICH_ROWS[resource]()
    client, url = signed_in(alice), change_url(row)
    page = client.get(url)
    field = text_field(page)

    first = client.post(url, admin_form_data(page, **{field: "First."}))
    again = client.post(url, admin_form_data(client.get(url), **{field: "Second."}))

    assert first.status_code == 302, form_errors(first)
    assert again.status_code == 302, form_errors(again)
    row.refresh_from_db()
    assert getattr(row, field) == "Second."


def test_saving_the_same_opened_form_twice_is_refused_the_second_time(alice):
    """The first save made the form stale too: the editor is told it was them, in another window."""
    row = RICH_ROWS["organizations"]()
    client, url = signed_in(alice), change_url(row)
    page = client.get(url)

    assert client.post(url, admin_form_data(page, summary="From one tab.")).status_code == 302
    response = client.post(url, admin_form_data(page, summary="From another tab."))

    assert response.status_code == 200
    assert any(STALE in error and "by you" in error for error in form_errors(response))


@pytest.mark.parametrize(
    ("resource", "inline_field"),
    [
        ("organizations", "stakes-0-notes"),
        ("people", "affiliations-0-notes"),
        ("events", "eventorganization_set-0-role"),
    ],
)
def test_a_refused_save_saves_none_of_its_inline_rows(resource, inline_field, alice, bob):
    row = RICH_ROWS[resource]()
    client, url = signed_in(alice), change_url(row)
    page = client.get(url)
    field = text_field(page)
    data = admin_form_data(page, **{field: "Alice's change."})
    before = data[inline_field]
    data[inline_field] = "Alice's change to the row."

    save_through_the_admin(bob, row, **{field: "Bob's change."})
    response = client.post(url, data)

    assert response.status_code == 200
    assert any(error.startswith(STALE) for error in form_errors(response))
    assert admin_form_data(response)[inline_field] == "Alice's change to the row."  # shown again as she typed it
    assert admin_form_data(client.get(url))[inline_field] == before


def test_a_change_made_by_an_admin_action_makes_an_open_form_stale_and_the_action_is_not_checked(alice, bob):
    article = RICH_ROWS["articles"]()
    client, url = signed_in(alice), change_url(article)
    page = client.get(url)

    action = signed_in(bob).post(
        reverse("admin:articles_article_changelist"), {"action": "unpublish", "_selected_action": [article.pk]}
    )
    response = client.post(url, admin_form_data(page, standfirst="Alice's change."))

    assert action.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert response.status_code == 200
    assert any(error.startswith(STALE) for error in form_errors(response))


def test_an_add_form_carries_no_version_and_saves(alice):
    client = signed_in(alice)
    add = reverse("admin:articles_topic_add")
    page = client.get(add)

    response = client.post(add, admin_form_data(page, name="Courts", slug="courts", description="Lawsuits."))

    assert VERSION_FIELD not in page.content.decode()
    assert response.status_code == 302, form_errors(response)


def test_a_form_posted_without_a_version_is_not_checked(alice, bob):
    """As an API write without If-Match: a script posting the fields alone is not refused."""
    topic = TopicFactory()
    client, url = signed_in(alice), change_url(topic)
    data = admin_form_data(client.get(url), description="Alice's change.")
    del data[VERSION_FIELD]

    save_through_the_admin(bob, topic, description="Bob's change.")
    response = client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    topic.refresh_from_db()
    assert topic.description == "Alice's change."
