"""The page cache for anonymous readers (lenrnews/cache.py): hits, invalidation, scheduling, who never gets it."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from rest_framework.authtoken.models import Token

from articles.models import Article
from articles.tests.factories import ArticleFactory, TopicFactory
from lenrnews.cache import is_storable
from lenrnews.tests.admin_forms import admin_form_data
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)
ARTICLES = "/articles/"
API_ORGANIZATIONS = "/api/v1/organizations/"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def reader():
    return Client()


def test_an_anonymous_second_request_is_a_hit_with_the_same_body(reader):
    ArticleFactory(title="Excess heat in Padua")
    for url in ("/", ARTICLES, API_ORGANIZATIONS):
        first = reader.get(url)
        second = reader.get(url)
        assert (first.status_code, second.status_code) == (200, 200)
        assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]
        assert second["X-Frame-Options"] == "DENY"  # The middlewares above the cache still run on a hit.
    assert "Excess heat in Padua" in second.content.decode() or url == API_ORGANIZATIONS


def test_the_query_string_is_part_of_the_key_in_any_order(reader):
    OrganizationFactory(name="Brillouin", country="US", kind="company")
    assert reader.get(API_ORGANIZATIONS, {"country": "US", "kind": "company"})["X-Cache"] == "miss"
    assert reader.get(f"{API_ORGANIZATIONS}?kind=company&country=US")["X-Cache"] == "hit"
    other = reader.get(API_ORGANIZATIONS, {"country": "FR"})
    assert other["X-Cache"] == "miss"
    assert other.json()["count"] == 0


def test_the_api_key_includes_the_accept_header(reader):
    json_response = reader.get(API_ORGANIZATIONS, HTTP_ACCEPT="application/json")
    browsable = reader.get(API_ORGANIZATIONS, HTTP_ACCEPT="text/html")
    assert (json_response["X-Cache"], browsable["X-Cache"]) == ("miss", "miss")
    assert browsable["Content-Type"].startswith("text/html")
    assert reader.get(API_ORGANIZATIONS, HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"


def test_head_is_answered_from_the_entry_a_get_stored(reader):
    reader.get(ARTICLES)
    response = reader.head(ARTICLES)
    assert response.status_code == 200
    assert response["X-Cache"] == "hit"


# --- Invalidation ---


def test_a_model_save_makes_the_next_request_a_miss_with_the_new_content(reader):
    article = ArticleFactory(title="Old headline")
    assert "Old headline" in reader.get(ARTICLES).content.decode()
    assert reader.get(ARTICLES)["X-Cache"] == "hit"

    article.title = "New headline"
    article.save()
    response = reader.get(ARTICLES)
    assert response["X-Cache"] == "miss"
    assert "New headline" in response.content.decode()
    assert "Old headline" not in response.content.decode()


@pytest.mark.parametrize("change", ["delete", "m2m", "organization"])
def test_deletes_relinks_and_other_content_models_invalidate_too(reader, change):
    article = ArticleFactory(title="Heat after death")
    reader.get(article.get_absolute_url())
    assert reader.get(article.get_absolute_url())["X-Cache"] == "hit"
    if change == "delete":
        article.delete()
    elif change == "m2m":
        article.topics.add(TopicFactory(name="Calorimetry"))
    else:
        OrganizationFactory(name="SRI International")
    response = reader.get(article.get_absolute_url())
    assert response["X-Cache"] == "miss"
    if change == "delete":
        assert response.status_code == 404
    elif change == "m2m":
        assert "Calorimetry" in response.content.decode()


def test_a_publish_in_the_admin_shows_on_the_next_anonymous_request(reader, editor_client):
    draft = ArticleFactory(title="Embargoed result", status=Article.Status.DRAFT, publish_at=None)
    assert "Embargoed result" not in reader.get(ARTICLES).content.decode()
    assert reader.get(ARTICLES)["X-Cache"] == "hit"

    change_url = reverse("admin:articles_article_change", args=[draft.pk])
    data = admin_form_data(editor_client.get(change_url), status="published")
    assert editor_client.post(change_url, data).status_code == 302

    response = reader.get(ARTICLES)
    assert response["X-Cache"] == "miss"
    assert "Embargoed result" in response.content.decode()


def test_a_bulk_update_through_an_admin_action_invalidates(reader, editor_client):
    """Writes that send no signal (queryset.update()) still make the cache stale: any signed-in write does."""
    ArticleFactory(title="Quiet update")
    reader.get(ARTICLES)
    Article.objects.update(title="Loud update")  # No signal: the cache can't know...
    assert reader.get(ARTICLES)["X-Cache"] == "hit"
    editor_client.post(reverse("admin:articles_article_changelist"), {"action": "delete_selected"})
    response = reader.get(ARTICLES)  # ...until a signed-in user writes anything.
    assert response["X-Cache"] == "miss"
    assert "Loud update" in response.content.decode()


def test_anonymous_writes_do_not_flush_the_cache(reader):
    reader.get(API_ORGANIZATIONS)
    assert reader.post(API_ORGANIZATIONS, {"name": "Spam"}).status_code == 401
    assert reader.get(API_ORGANIZATIONS)["X-Cache"] == "hit"


def test_generate_data_makes_cached_pages_stale(reader):
    reader.get(API_ORGANIZATIONS)
    sizes = ["--articles", "2", "--organizations", "2", "--people", "2", "--technologies", "2", "--sources", "2"]
    sizes += ["--stakes", "0", "--investments", "0", "--affiliations", "0"]
    call_command("generate_data", *sizes, verbosity=0)
    response = reader.get(API_ORGANIZATIONS)
    assert response["X-Cache"] == "miss"
    assert response.json()["count"] == 2


# --- Scheduling ---


def test_a_scheduled_article_appears_exactly_on_time_though_the_listing_was_cached(reader):
    with time_machine.travel(NOON, tick=False):
        ArticleFactory(title="Park deal", publish_at=NOON + datetime.timedelta(hours=1))
        ArticleFactory(title="Older news", publish_at=NOON - datetime.timedelta(days=1))
    with time_machine.travel(NOON + datetime.timedelta(minutes=59, seconds=59), tick=False):
        for url in (ARTICLES, "/api/v1/articles/"):
            response = reader.get(url)
            assert response["X-Cache"] == "miss"
            assert "Older news" in response.content.decode()
            assert "Park deal" not in response.content.decode()
            assert reader.get(url)["X-Cache"] == "hit"
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        for url in (ARTICLES, "/api/v1/articles/"):
            response = reader.get(url)
            assert response["X-Cache"] == "miss"
            assert "Park deal" in response.content.decode()


def test_entries_live_at_most_page_cache_seconds(reader, settings):
    settings.PAGE_CACHE_SECONDS = 60
    with time_machine.travel(NOON, tick=False):
        reader.get(ARTICLES)
    with time_machine.travel(NOON + datetime.timedelta(seconds=59), tick=False):
        assert reader.get(ARTICLES)["X-Cache"] == "hit"
    with time_machine.travel(NOON + datetime.timedelta(seconds=61), tick=False):
        assert reader.get(ARTICLES)["X-Cache"] == "miss"


def test_zero_seconds_turns_the_cache_off(reader, settings):
    settings.PAGE_CACHE_SECONDS = 0
    reader.get(ARTICLES)
    assert "X-Cache" not in reader.get(ARTICLES)


# --- Who never gets a cached page, and what is never stored ---


def test_drafts_and_previews_are_never_stored_or_shown_to_anyone_else(reader, editor_client):
    draft = ArticleFactory(title="Secret draft", slug="secret-draft", status=Article.Status.DRAFT, publish_at=None)
    preview_url = reverse("admin:articles_article_preview", args=[draft.pk])
    preview = editor_client.get(preview_url)
    assert preview.status_code == 200
    assert "Secret draft" in preview.content.decode()
    assert "X-Cache" not in preview
    editor_client.get(ARTICLES)  # Signed in: neither served from nor stored in the cache.

    anonymous_preview = reader.get(preview_url)
    assert anonymous_preview.status_code == 404
    assert "X-Cache" not in anonymous_preview
    for url in (draft.get_absolute_url(), ARTICLES, "/api/v1/articles/", "/api/v1/articles/secret-draft/"):
        response = reader.get(url)
        assert response["X-Cache"] == "miss"
        assert "Secret draft" not in response.content.decode()


def test_a_signed_in_editor_never_gets_nor_fills_the_cache(reader, editor_client, editor):
    ArticleFactory(title="Public one")
    ArticleFactory(title="Editor only", slug="editor-only", status=Article.Status.DRAFT, publish_at=None)
    editor_view = editor_client.get("/api/v1/articles/")
    assert "X-Cache" not in editor_view
    assert "Editor only" in editor_view.content.decode()
    anonymous = reader.get("/api/v1/articles/")
    assert anonymous["X-Cache"] == "miss"
    assert "Editor only" not in anonymous.content.decode()

    assert reader.get(ARTICLES)["X-Cache"] == "miss"
    again = editor_client.get(ARTICLES)
    assert "X-Cache" not in again

    token = Token.objects.create(user=editor)
    with_token = Client(headers={"authorization": f"Token {token.key}"}).get("/api/v1/articles/")
    assert "X-Cache" not in with_token
    assert "Editor only" in with_token.content.decode()


def test_a_stale_session_cookie_still_reads_the_cache(reader, client, editor):
    client.force_login(editor)
    client.logout()
    reader.get(ARTICLES)
    client.cookies["sessionid"] = "no-such-session"
    assert client.get(ARTICLES)["X-Cache"] == "hit"


def test_a_reader_with_pending_messages_gets_a_fresh_page(reader):
    reader.get(ARTICLES)
    reader.cookies["messages"] = "pending"
    assert "X-Cache" not in reader.get(ARTICLES)


def test_a_bad_filter_400_is_never_stored(reader):
    for _ in range(2):
        page = reader.get(ARTICLES, {"year": "abc"})
        api = reader.get("/api/v1/investments/", {"year_min": "abc"})
        assert (page.status_code, api.status_code) == (400, 400)
        assert (page["X-Cache"], api["X-Cache"]) == ("miss", "miss")


def test_a_404_is_never_stored(reader):
    for _ in range(2):
        response = reader.get("/articles/no-such-article/")
        assert (response.status_code, response["X-Cache"]) == (404, "miss")


@pytest.mark.parametrize(
    "mark",
    [
        lambda response: response.set_cookie("tracker", "1"),
        lambda response: response.__setitem__("Cache-Control", "private, max-age=60"),
        lambda response: response.__setitem__("Cache-Control", "no-store"),
        add_never_cache_headers,
    ],
    ids=["sets-a-cookie", "private", "no-store", "never_cache"],
)
def test_responses_marked_private_or_setting_cookies_are_not_stored(mark):
    request = RequestFactory().get("/")
    response = HttpResponse("page")
    assert is_storable(request, response)
    mark(response)
    assert not is_storable(request, response)


def test_a_response_embedding_a_csrf_token_is_not_stored():
    from django.middleware.csrf import get_token

    request = RequestFactory().get("/")
    get_token(request)
    assert not is_storable(request, HttpResponse("<form>"))


# --- ETags and the API's throttles ---


@pytest.mark.parametrize("url", [ARTICLES, API_ORGANIZATIONS])
def test_the_etag_and_304_still_work_from_the_cache(reader, url, django_assert_num_queries):
    ArticleFactory()
    first = reader.get(url)
    etag = first["ETag"]
    with django_assert_num_queries(0):  # Answered from the entry: the view doesn't run.
        again = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    other = reader.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert (other.status_code, other["X-Cache"]) == (200, "hit")
    assert other.content == first.content


def test_throttling_counts_cached_responses(reader, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    responses = [reader.get(API_ORGANIZATIONS) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r["X-Cache"] for r in responses[:3]] == ["miss", "hit", "hit"]
    assert 0 < int(responses[3]["Retry-After"]) <= 60
    assert "throttled" in responses[3].json()["detail"]
