"""Sync for API clients: what changed since (``updated_since``), what went away (``/deletions/``), and writes
that cannot silently overwrite each other (``If-Match``, 412)."""

import datetime
import threading
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, TopicFactory
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.api_support import API, PLAIN_ROWS, RICH_ROWS, client_for, draft, editor, writer
from organizations.tests.factories import OrganizationFactory
from portal.api import router

pytestmark = pytest.mark.django_db

VIEWSETS: dict = {prefix: viewset for prefix, viewset, _basename in router.registry}
RESOURCES = [prefix for prefix in VIEWSETS if prefix in RICH_ROWS]
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
TUESDAY = MONDAY + datetime.timedelta(days=1)
WEDNESDAY = TUESDAY + datetime.timedelta(days=1)


def test_every_resource_has_a_plain_row():
    assert set(PLAIN_ROWS) == set(RESOURCES)


def key(resource, row):
    return row.slug if VIEWSETS[resource].lookup_field == "slug" else row.pk


def detail_url(resource, row):
    return f"{API}{resource}/{key(resource, row)}/"


def made_at(moment, resource):
    with time_machine.travel(moment, tick=False):
        row = PLAIN_ROWS[resource]()
        if resource == "articles":  # public from the moment it was made
            Article.objects.filter(pk=row.pk).update(publish_at=moment)
    return row


def keys(response, resource):
    field = "slug" if VIEWSETS[resource].lookup_field == "slug" else "id"
    return [row[field] for row in response.json()["results"]]


# --- updated_since and ordering=updated_at ---


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_list_gives_what_changed_since_a_time_latest_first(resource):
    old, new = made_at(MONDAY, resource), made_at(WEDNESDAY, resource)
    client = client_for()

    since = client.get(f"{API}{resource}/", {"updated_since": TUESDAY.isoformat()})
    latest_first = client.get(f"{API}{resource}/", {"ordering": "-updated_at"})
    oldest_first = client.get(f"{API}{resource}/", {"ordering": "updated_at", "updated_since": MONDAY.isoformat()})

    assert since.status_code == 200, since.content
    assert keys(since, resource) == [key(resource, new)]
    assert keys(latest_first, resource)[:2] == [key(resource, new), key(resource, old)]
    assert keys(oldest_first, resource)[-2:] == [key(resource, old), key(resource, new)]


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", "1"])
def test_a_time_that_does_not_parse_is_a_400_naming_it(value):
    response = client_for().get(f"{API}topics/", {"updated_since": value})
    assert response.status_code == 400
    assert list(response.json()) == ["updated_since"]


@pytest.mark.parametrize("parameter, path", [("updated_since", "topics/"), ("since", "deletions/")])
def test_any_offset_python_reads_is_the_same_instant_in_utc_and_out_of_range_is_a_400(parameter, path):
    """PostgreSQL refuses an offset beyond 15:59, which ISO 8601 and Python allow (a 500 before)."""
    TopicFactory(name="Courts")
    client = client_for()
    far_west = client.get(f"{API}{path}", {parameter: "2016-06-02T00:00:00-20:44"})
    assert far_west.status_code == 200, far_west.json()
    before_the_calendar = client.get(f"{API}{path}", {parameter: "0001-01-01T00:00:00+05:00"})
    assert before_the_calendar.status_code == 400
    assert list(before_the_calendar.json()) == [parameter]
    if parameter == "updated_since":
        assert far_west.json()["count"] == 1  # 2016-06-02T20:44Z: the topic changed after it.
        late = client.get(f"{API}{path}", {parameter: "9999-12-31T23:00:00-20:44"})
        assert late.status_code == 400


def test_a_change_of_links_is_a_change():
    """Adding a topic to an article changes what the article reads as: the article is listed as changed."""
    article = made_at(MONDAY, "articles")
    with time_machine.travel(WEDNESDAY, tick=False):
        article.topics.add(TopicFactory())

    response = client_for().get(f"{API}articles/", {"updated_since": TUESDAY.isoformat()})

    assert keys(response, "articles") == [article.slug]


def test_an_article_that_becomes_public_on_schedule_is_listed_as_changed():
    with time_machine.travel(MONDAY, tick=False):
        ArticleFactory(slug="scheduled", publish_at=WEDNESDAY)
    with time_machine.travel(TUESDAY, tick=False):
        assert keys(client_for().get(f"{API}articles/", {"updated_since": MONDAY.isoformat()}), "articles") == []
    with time_machine.travel(WEDNESDAY + datetime.timedelta(hours=1), tick=False):
        since = client_for().get(f"{API}articles/", {"updated_since": TUESDAY.isoformat()})
        assert keys(since, "articles") == ["scheduled"]


# --- /deletions/ ---


def deletions(client=None, **params):
    response = (client or client_for()).get(f"{API}deletions/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_record_deleted_through_the_api_is_listed_with_its_key_and_time(resource):
    row = made_at(MONDAY, resource)
    with time_machine.travel(WEDNESDAY, tick=False):
        assert client_for(editor()).delete(detail_url(resource, row)).status_code == 204

    listed = deletions(since=TUESDAY.isoformat())

    slug_resource = VIEWSETS[resource].lookup_field == "slug"
    trash = resource in ("articles", "investments")
    assert listed == [
        {
            "type": resource,
            "slug": row.slug if slug_resource else None,
            "id": None if slug_resource else row.pk,
            "kind": "trashed" if trash else "deleted",
            "deleted_at": "2026-03-04T09:00:00Z",
        }
    ]
    assert deletions(since=(WEDNESDAY + datetime.timedelta(seconds=1)).isoformat()) == []


def test_deletions_in_the_admin_and_by_purging_the_trash_are_listed_once(admin_client):
    topic = TopicFactory(slug="courts")
    article = ArticleFactory(slug="gone")
    admin_client.post(f"/admin/articles/topic/{topic.pk}/delete/", {"post": "yes"})
    article.trash()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        call_command("purge_trash", stdout=open("/dev/null", "w"))  # noqa: SIM115

    listed = {(d["type"], d["slug"], d["kind"]) for d in deletions()}

    assert listed == {("topics", "courts", "deleted"), ("articles", "gone", "trashed")}
    assert not Article.all_objects.filter(pk=article.pk).exists()


def test_a_restored_record_is_no_longer_deleted_and_is_changed_again():
    with time_machine.travel(MONDAY, tick=False):
        deal = InvestmentFactory(slug="restored-deal")
        deal.trash()
    assert [d["slug"] for d in deletions()] == ["restored-deal"]

    with time_machine.travel(WEDNESDAY, tick=False):
        type(deal).all_objects.get(pk=deal.pk).restore()

    assert deletions() == []
    since = client_for().get(f"{API}investments/", {"updated_since": TUESDAY.isoformat()})
    assert keys(since, "investments") == ["restored-deal"]


def test_an_unpublished_article_is_gone_for_readers_not_for_editors():
    article = ArticleFactory(slug="retracted")
    client = client_for(editor())
    assert client.patch(f"{API}articles/retracted/", {"status": "draft"}, format="json").status_code == 200

    assert [(d["slug"], d["kind"]) for d in deletions()] == [("retracted", "withdrawn")]
    assert deletions(client) == []

    article.refresh_from_db()
    article.status = Article.Status.PUBLISHED
    article.save()
    assert deletions() == []


def test_a_draft_s_deletion_is_listed_only_to_those_who_could_read_it():
    draft(slug="secret-draft")
    assert client_for(editor()).delete(f"{API}articles/secret-draft/").status_code == 204

    assert deletions() == []
    assert [d["slug"] for d in deletions(client_for(writer()))] == ["secret-draft"]
    assert [d["slug"] for d in deletions(client_for(editor()))] == ["secret-draft"]
    response = client_for(editor()).get(f"{API}deletions/")
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert response["Cache-Control"] == "no-cache, private"


def test_deletions_filter_by_type_and_refuse_what_does_not_parse():
    for resource in ("topics", "sources"):
        client_for(editor()).delete(detail_url(resource, PLAIN_ROWS[resource]()))

    assert [d["type"] for d in deletions(type="sources")] == ["sources"]
    assert {d["type"] for d in deletions(type=["sources", "topics"])} == {"sources", "topics"}
    assert [d["type"] for d in deletions(type="sources", fields="type")] == ["sources"]
    for params in ({"since": "last week"}, {"type": "nothing"}, {"updated_since": "2026-01-01T00:00:00Z"}):
        response = client_for().get(f"{API}deletions/", params)
        assert response.status_code == 400, params
        assert list(response.json()) == list(params)


# --- ETag and If-Match ---


def text_field(resource):
    """A free text field of the resource, any value of which is valid."""
    # As an editor reads it: ``notes`` are there only for who may change the record.
    request = SimpleNamespace(user=editor())
    fields = VIEWSETS[resource].serializer_class(context={"request": request}).fields
    return next(
        name
        for name in ("notes", "summary", "description", "bio", "standfirst", "reliability")
        if name in fields and not fields[name].read_only
    )


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_write_over_a_version_that_changed_since_it_was_read_is_a_412(resource):
    url = detail_url(resource, RICH_ROWS[resource]())
    field = text_field(resource)
    alice, bob = client_for(editor()), client_for(editor())
    etag = alice.get(url)["ETag"]

    first = bob.patch(url, {field: "Bob's change."}, format="json", HTTP_IF_MATCH=etag)
    second = alice.patch(url, {field: "Alice's change."}, format="json", HTTP_IF_MATCH=etag)
    gone = alice.delete(url, HTTP_IF_MATCH=etag)

    assert first.status_code == 200
    assert first["ETag"] != etag
    assert second.status_code == 412
    assert "changed since you read it" in second.json()["detail"]
    assert gone.status_code == 412
    assert alice.get(url).json()[field] == "Bob's change."
    again = alice.patch(url, {field: "Alice's change."}, format="json", HTTP_IF_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] == alice.get(url)["ETag"]


def test_if_match_takes_star_a_list_and_the_etag_of_a_read_with_chosen_fields():
    organization = OrganizationFactory(slug="ih")
    client = client_for(editor())
    url = f"{API}organizations/ih/"
    chosen = client.get(url, {"fields": "slug,name"})["ETag"]
    full = client.get(url)["ETag"]

    assert chosen != full
    assert client.head(url)["ETag"] == full
    assert client.get(url, {"fields": "slug,name"}, HTTP_IF_NONE_MATCH=chosen).status_code == 304
    assert client.patch(url, {"summary": "1"}, format="json", HTTP_IF_MATCH=f'"other", {chosen}').status_code == 200
    assert client.patch(url, {"summary": "2"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert client.patch(url, {"summary": "3"}, format="json", HTTP_IF_MATCH=f"W/{full}").status_code == 412
    assert client.patch(url, {"summary": "4"}, format="json").status_code == 200
    organization.refresh_from_db()
    assert organization.summary == "4"


def test_the_etag_of_a_record_changes_when_a_record_it_shows_changes():
    """An article shows its topics' names: renaming one makes the article's version stale."""
    article = RICH_ROWS["articles"]()
    client = client_for(editor())
    url = f"{API}articles/{article.slug}/"
    etag = client.get(url)["ETag"]
    topic = article.topics.get()
    topic.name = "Renamed"
    topic.save()

    assert client.patch(url, {"standfirst": "x"}, format="json", HTTP_IF_MATCH=etag).status_code == 412


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a database server (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_writes_with_the_same_etag_exactly_one_succeeds():
    """Two editors read the same version and write at once, twenty times: one 200 and one 412 each time."""
    organization = OrganizationFactory(slug="contested")
    user = editor()
    url = f"{API}organizations/contested/"

    def write(value, etag, barrier, statuses):
        try:
            barrier.wait()
            statuses[value] = client_for(user).patch(url, {"summary": value}, format="json", HTTP_IF_MATCH=etag)
        finally:
            connection.close()

    for attempt in range(20):
        etag = client_for(user).get(url)["ETag"]
        barrier, statuses = threading.Barrier(2), {}
        threads = [threading.Thread(target=write, args=(f"{who} {attempt}", etag, barrier, statuses)) for who in "AB"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        codes = sorted(response.status_code for response in statuses.values())
        assert codes == [200, 412], attempt
        winner = next(value for value, response in statuses.items() if response.status_code == 200)
        organization.refresh_from_db()
        assert organization.summary == winner
