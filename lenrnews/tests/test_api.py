"""The API as a whole: permissions, errors, pagination, caching, throttling, query counts, tokens."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from articles.tests.factories import ArticleFactory, TopicFactory
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.api_support import API, PLAIN_ROWS, RICH_ROWS, client_for, create_payload, draft, editor, writer
from lenrnews.tests.query_counts import count_queries, queries_with_1_and_50_rows
from organizations.tests.factories import (
    OrganizationFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db

RESOURCES = list(RICH_ROWS)


# --- The permission matrix ---


def _existing(resource):
    """A row of each resource that can be deleted (nothing refers to it), and its address."""
    row = PLAIN_ROWS[resource]()
    key = row.slug if hasattr(row, "slug") else row.pk
    return row, f"{API}{resource}/{key}/"


# What each role gets: reads are open; writers may add and change articles only.
EXPECTED = {
    "anonymous": {"read": 200, "create": 401, "update": 401, "delete": 401},
    "writer": {"read": 200, "create": 403, "update": 403, "delete": 403},
    "editor": {"read": 200, "create": 201, "update": 200, "delete": 204},
}
WRITER_ARTICLES = {"read": 200, "create": 201, "update": 200, "delete": 403}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ["anonymous", "writer", "editor"])
def test_permission_matrix(role, resource):
    user = {"anonymous": lambda: None, "writer": writer, "editor": editor}[role]()
    client = client_for(user)
    expected = WRITER_ARTICLES if (role, resource) == ("writer", "articles") else EXPECTED[role]
    row, url = _existing(resource)

    assert client.get(f"{API}{resource}/").status_code == expected["read"]
    assert client.get(url).status_code == expected["read"]

    payload = create_payload(resource)
    response = client.post(f"{API}{resource}/", payload, format="json")
    assert response.status_code == expected["create"], response.content
    model = type(row)
    if expected["create"] == 201:
        assert model.objects.count() >= 2
    else:
        assert response.json()["detail"]

    field = {"articles": "standfirst", "topics": "description", "sources": "reliability"}.get(resource, "notes")
    if resource in ("organizations", "technologies"):
        field = "summary"
    elif resource == "people":
        field = "bio"
    elif resource == "investments":
        field = "summary"
    response = client.patch(url, {field: "Changed through the API."}, format="json")
    assert response.status_code == expected["update"], response.content
    row.refresh_from_db()
    assert (getattr(row, field) == "Changed through the API.") == (expected["update"] == 200)

    response = client.delete(url)
    assert response.status_code == expected["delete"], response.content
    assert model.objects.filter(pk=row.pk).exists() == (expected["delete"] != 204)


def test_unauthenticated_write_is_401_with_www_authenticate_and_a_bad_token_too():
    response = client_for().post(f"{API}topics/", {"name": "X"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"

    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(f"{API}topics/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_session_writes_need_the_csrf_token():
    from rest_framework.test import APIClient

    user = editor()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(f"{API}topics/", {"name": "Courts"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]

    client.get("/admin/")  # sets the CSRF cookie (the logout form)
    token = client.cookies["csrftoken"].value
    response = client.post(f"{API}topics/", {"name": "Courts"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


# --- Errors ---


@pytest.mark.parametrize("resource", RESOURCES)
def test_unknown_slug_or_id_is_a_json_404(resource):
    response = client_for().get(f"{API}{resource}/no-such-thing-999/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_malformed_addresses_under_the_api_are_json_404s():
    for url in [f"{API}organizations/bad%20slug!/", f"{API}sources/abc/", f"{API}no-such-resource/", "/api/v2/"]:
        response = client_for().get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "method, url",
    [("put", f"{API}organizations/"), ("delete", f"{API}articles/"), ("patch", f"{API}topics/"),
     ("post", f"{API}organizations/some-slug/")],
)  # fmt: skip
def test_wrong_method_is_405_for_anyone(method, url):
    for client in (client_for(), client_for(editor())):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 405
        assert "not allowed" in response.json()["detail"]


def test_a_failed_write_saves_nothing_not_even_its_many_to_many_rows():
    client = client_for(editor())
    backer = OrganizationFactory(slug="cherokee")
    response = client.post(
        f"{API}investments/",
        {"title": "Half a deal", "kind": "equity", "investors": ["cherokee"], "amount": "5", "currency": "EUR"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"amount_usd": ["Enter the amount in USD for a deal in another currency."]}
    assert not backer.investments_made.exists()


def test_the_models_constraints_are_400s_not_500s():
    client = client_for(editor())
    response = client.post(
        f"{API}organizations/", {"name": "Backwards", "founded": 2010, "dissolved": 2000}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["An organization cannot be dissolved before it was founded."]}

    stake = TechnologyStakeFactory()
    response = client.post(
        f"{API}stakes/",
        {"organization": stake.organization.slug, "technology": stake.technology.slug, "kind": stake.kind},
        format="json",
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_deleting_what_others_refer_to_is_a_409_naming_them():
    investment = InvestmentFactory()
    [recipient] = investment.recipients.all()
    response = client_for(editor()).delete(f"{API}organizations/{recipient.slug}/")
    assert response.status_code == 409
    assert "(recipient (organization))" in response.json()["detail"], "its row in the deal"
    assert type(recipient).objects.filter(pk=recipient.pk).exists()


@pytest.mark.parametrize("resource", ["investments", "affiliations", "stakes", "sources"])
def test_editors_notes_are_read_only_by_those_who_may_change_the_record(resource):
    row = RICH_ROWS[resource]()
    type(row).objects.filter(pk=row.pk).update(notes="Darden may have signed for himself.")
    key = row.slug if hasattr(row, "slug") else row.pk

    def notes_seen(user):
        response = client_for(user).get(f"{API}{resource}/{key}/")
        assert response.status_code == 200
        listed = client_for(user).get(f"{API}{resource}/").json()["results"]
        assert ("notes" in response.json()) == all("notes" in item for item in listed)
        return response.json().get("notes")

    assert notes_seen(None) is None
    assert notes_seen(writer()) is None
    assert notes_seen(editor()) == "Darden may have signed for himself."


# --- Pagination ---


def test_page_number_pagination_with_page_size():
    for n in range(5):
        TopicFactory(name=f"Topic {n}")
    client = client_for()
    first = client.get(f"{API}topics/", {"page_size": 2}).json()
    assert first["count"] == 5
    assert [t["name"] for t in first["results"]] == ["Topic 0", "Topic 1"]
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/topics/?page=2&page_size=2")
    last = client.get(first["next"].replace("http://testserver", "")).json()
    assert [t["name"] for t in last["results"]] == ["Topic 2", "Topic 3"]
    assert client.get(f"{API}topics/", {"page_size": 2, "page": 3}).json()["next"] is None


@pytest.mark.parametrize(
    "params, name",
    [({"page_size": 101}, "page_size"), ({"page_size": 0}, "page_size"), ({"page_size": "ten"}, "page_size"),
     ({"page": "two"}, "page"), ({"page": 0}, "page"), ({"page": -1}, "page")],
)  # fmt: skip
def test_a_page_parameter_that_does_not_parse_is_a_400_naming_it(params, name):
    response = client_for().get(f"{API}topics/", params)
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_a_page_past_the_end_is_a_404():
    TopicFactory()
    response = client_for().get(f"{API}topics/", {"page": 2})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


# --- HTTP caching ---


def test_get_has_an_etag_and_a_matching_request_gets_304():
    OrganizationFactory(slug="industrial-heat")
    client = client_for()
    for url in [f"{API}organizations/", f"{API}organizations/industrial-heat/"]:
        response = client.get(url)
        etag = response["ETag"]
        assert response.status_code == 200
        assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag


def test_the_etag_changes_when_the_data_changes():
    organization = OrganizationFactory(slug="industrial-heat")
    client = client_for()
    etag = client.get(f"{API}organizations/industrial-heat/")["ETag"]
    organization.summary = "Now with a new summary."
    organization.save()
    response = client.get(f"{API}organizations/industrial-heat/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_an_editor_s_etag_never_validates_a_reader_s_view_of_other_rows():
    ArticleFactory(slug="public")
    draft(slug="secret-draft")
    reader, editors = client_for(), client_for(editor())
    editor_response = editors.get(f"{API}articles/")
    assert {a["slug"] for a in editor_response.json()["results"]} == {"public", "secret-draft"}
    assert editor_response["Cache-Control"] == "no-cache, private"
    reader_response = reader.get(f"{API}articles/", HTTP_IF_NONE_MATCH=editor_response["ETag"])
    assert reader_response.status_code == 200
    assert [a["slug"] for a in reader_response.json()["results"]] == ["public"]


# --- Throttling ---


def test_throttling_answers_429_with_retry_after(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    reader = client_for()
    statuses = [reader.get(f"{API}topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = reader.get(f"{API}topics/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"]

    # Authenticated clients have their own, higher, rate.
    editors = client_for(editor())
    assert [editors.get(f"{API}topics/").status_code for _ in range(6)] == [200] * 5 + [429]


# --- No N+1 ---


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_runs_the_same_number_of_queries_for_1_and_50_rows(resource):
    """For a reader and for an editor (who may see more), on the same rows."""
    clients = {"anonymous": client_for(), "editor": client_for(editor())}
    url = f"{API}{resource}/"

    def rows(count):
        for _ in range(count):
            RICH_ROWS[resource]()

    def both():
        return {who: count_queries(client.get, url, {"page_size": 100}) for who, client in clients.items()}

    (few, many) = (result for result, _ in queries_with_1_and_50_rows(rows, both))
    for who in clients:
        (few_response, few_queries), (many_response, many_queries) = few[who], many[who]
        assert (few_response.status_code, many_response.status_code) == (200, 200), who
        assert many_response.json()["count"] >= 50 > few_response.json()["count"], who
        assert many_queries == few_queries, who


# --- Tokens, schema and docs ---


def test_create_api_token_prints_a_working_token_and_keeps_it():
    user = editor()
    out = io.StringIO()
    call_command("create_api_token", "editor", stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    assert Token.objects.get(user=user).key == key

    again = io.StringIO()
    call_command("create_api_token", "editor", stdout=again, stderr=io.StringIO())
    assert again.getvalue().strip() == key

    reset = io.StringIO()
    call_command("create_api_token", "editor", "--reset", stdout=reset, stderr=io.StringIO())
    assert reset.getvalue().strip() != key

    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {reset.getvalue().strip()}")
    assert client.post(f"{API}topics/", {"name": "Courts"}, format="json").status_code == 201

    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_token", "nobody")


def test_tokens_are_managed_in_the_admin(admin_client):
    assert admin_client.get("/admin/authtoken/tokenproxy/").status_code == 200
    assert admin_client.get("/admin/authtoken/tokenproxy/add/").status_code == 200


def test_schema_and_docs_are_served_without_a_cdn():
    client = client_for()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths
    parameters = {p["name"] for p in paths["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"kind", "country", "technology", "has_deals", "founded_min", "ordering", "q", "page", "page_size"} <= (
        parameters
    )

    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    # Every asset comes from this site: no absolute or protocol-relative address. (A bare
    # "cdn" substring test failed now and then on the page's random CSRF token.)
    addresses = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html)
    assert addresses
    assert [a for a in addresses if re.match(r"(?:[a-z][a-z0-9+.-]*:)?//", a, re.I)] == []


def test_describing_the_filters_leaves_the_listing_pages_labelled():
    """drf-spectacular builds form fields on the FilterSet classes; the pages must not inherit them unlabelled."""
    OrganizationFactory(kind="company")
    client_for().get("/api/schema/")
    html = client_for().get("/organizations/", {"kind": "company"}).content.decode()
    assert 'aria-label="Remove filter Kind: Company"' in html


def test_malformed_references_in_a_payload_are_400s_on_every_database():
    """PostgreSQL refuses NUL bytes and integers beyond bigint with an error, not a miss: they must never reach it."""
    response = client_for(editor()).post(
        f"{API}investments/",
        {"title": "Odd", "kind": "equity", "reported_in": ["a\x00b"], "recipients": ["x\x00"], "sources": [2**70]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"reported_in", "recipients", "sources"}
    response = client_for(editor()).post(
        f"{API}investments/",
        {"title": "Odd", "kind": "equity", "parties": [{"side": "recipient", "organization": "x\x00"}]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"parties"}
