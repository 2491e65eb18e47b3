"""A database outage is a 503, and every error on the API is JSON (lenrnews/errors.py, api_errors.py, parsers.py).

The outage is played by Django's own hook around every query (``connection.execute_wrapper``)
raising the OperationalError a refused or dropped connection raises; the real thing, a
DATABASE_URL at a port where nothing listens, is in test_hardening_production.py.
"""

import contextlib
import json

import pytest
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client

from articles.api import TopicViewSet
from articles.models import Topic
from articles.tests.factories import ArticleFactory
from lenrnews.tests.api_support import API, client_for, editor
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TOPICS = f"{API}topics/"


@contextlib.contextmanager
def database_down():
    def refuse(execute, sql, params, many, context):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with connection.execute_wrapper(refuse):
        yield


def anonymous():
    return Client(raise_request_exception=False)


def editor_api():
    client = client_for(editor())
    client.raise_request_exception = False
    return client


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    return response.json()["detail"]


# --- A database outage is a 503 ---


def test_a_database_outage_is_the_styled_503_page_with_retry_after(caplog):
    OrganizationFactory(name="Industrial Heat")
    with database_down():
        response = anonymous().get("/organizations/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "We are briefly unavailable" in html
    assert "/static/css/site.css" in html  # Styled like the 500 page.
    assert any(r.name == "django.request" and r.levelname == "ERROR" for r in caplog.records)  # Still logged.


def test_a_database_outage_is_a_json_503_on_the_api():
    with database_down():
        response = anonymous().get(f"{API}organizations/")
    assert "unavailable" in assert_json_error(response, 503)
    assert response["Retry-After"] == "30"


def test_pages_already_cached_keep_being_served_during_a_database_outage(settings):
    settings.PAGE_CACHE_SECONDS = 300
    ArticleFactory(title="Excess heat in Padua")
    reader = anonymous()
    for url in ("/articles/", TOPICS):
        assert reader.get(url)["X-Cache"] == "miss"

    with database_down():
        for url in ("/articles/", TOPICS):
            response = reader.get(url)
            assert (response.status_code, response["X-Cache"]) == (200, "hit"), url
        assert "Excess heat in Padua" in reader.get("/articles/").content.decode()
        assert reader.get("/organizations/").status_code == 503  # Not cached: it needs the database.


def test_the_503_page_needs_no_request_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("503.html")
    assert "We are briefly unavailable" in html
    assert render_to_string("500.html").count('class="site-header"') == html.count('class="site-header"') == 1


# --- Every error on the API is JSON ---


def test_an_unhandled_error_on_the_api_is_a_json_500(monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(TopicViewSet, "list", broken)
    assert "Server error" in assert_json_error(anonymous().get(TOPICS), 500)
    assert anonymous().get("/").status_code == 200  # Nothing else is touched.


def test_a_bad_host_on_the_api_is_a_json_400():
    response = Client(raise_request_exception=False).get(f"{API}topics/", HTTP_HOST="attacker.example")
    assert_json_error(response, 400)


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", json.dumps({"name": "x" * 5000})),
        ("application/x-www-form-urlencoded", "name=" + "x" * 5000),
    ],
)
def test_a_body_over_the_size_limit_is_a_json_413(settings, content_type, body):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4000
    response = editor_api().generic("POST", TOPICS, body, content_type=content_type)
    assert "4000 bytes" in assert_json_error(response, 413)
    assert not Topic.objects.exists()


def test_a_multipart_body_over_the_size_limit_is_a_json_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4000
    response = editor_api().post(TOPICS, {"name": "x" * 5000}, format="multipart")
    assert_json_error(response, 413)
    assert not Topic.objects.exists()


def test_too_many_fields_is_a_json_400(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = "&".join(f"field{n}=x" for n in range(20))
    response = editor_api().generic(
        "POST", TOPICS, f"name=Gas+loading&{fields}", content_type="application/x-www-form-urlencoded"
    )
    assert_json_error(response, 400)
    assert not Topic.objects.exists()


def test_deeply_nested_json_is_a_400():
    """Deeper than the decoder's recursion limit: DRF's parser let the RecursionError through as a 500."""
    body = '{"name": "Gas loading", "description": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = editor_api().generic("POST", TOPICS, body, content_type="application/json")
    assert "nested too deeply" in assert_json_error(response, 400)
    assert not Topic.objects.exists()


def test_nested_json_the_decoder_takes_is_a_field_error():
    body = '{"name": "Gas loading", "description": ' + "[" * 900 + "]" * 900 + "}"
    response = editor_api().generic("POST", TOPICS, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"description": ["Not a valid string."]}


def multipart(*parts, closed=True):
    body = b"".join(
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (name, value)
        for name, value in parts
    )
    return body + (b"--BOUNDARY--\r\n" if closed else b"")


@pytest.mark.parametrize(
    "body",
    [
        multipart((b"name", b"Gas loading"), closed=False),  # Cut off after a part.
        multipart((b"name", b"Gas loading"))[: -len(b"\r\n--BOUNDARY--\r\n")],  # Cut off inside the last part.
        multipart((b"name", b"Gas loading"), (b"description", b"Nickel and hydrogen"))[:-30],
    ],
    ids=["no closing boundary", "cut inside the value", "cut inside the second part"],
)
def test_a_truncated_multipart_body_is_a_400_and_creates_nothing(body):
    response = editor_api().generic("POST", TOPICS, body, content_type="multipart/form-data; boundary=BOUNDARY")
    assert "closing boundary" in assert_json_error(response, 400)
    assert not Topic.objects.exists()


def test_a_whole_multipart_body_still_creates_the_record():
    body = multipart((b"name", b"Gas loading"), (b"description", b"Nickel and hydrogen"))
    response = editor_api().generic("POST", TOPICS, body, content_type="multipart/form-data; boundary=BOUNDARY")
    assert response.status_code == 201
    assert Topic.objects.get().description == "Nickel and hydrogen"
    assert editor_api().post(TOPICS, {"name": "Electrolysis"}, format="multipart").status_code == 201
