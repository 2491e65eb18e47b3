"""Content-Security-Policy and the other security headers, and client addresses that cannot be forged.

The production values (HSTS, secure cookies, the proxy settings from the environment) are
checked on a process started with production settings, in test_hardening_production.py.
"""

import re
import uuid

import pytest
from django.test import Client

from articles.tests.factories import ArticleFactory
from lenrnews.tests.api_support import API, client_for

pytestmark = pytest.mark.django_db

REQUIRED_CSP = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def csp(response):
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_strict_csp(response):
    policy = csp(response)
    for directive, values in REQUIRED_CSP.items():
        assert policy[directive] == values, directive
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive] and "'unsafe-eval'" not in policy[directive]
        assert all(value == "'self'" or value.startswith("'nonce-") for value in policy[directive])
    assert policy["img-src"] == ["'self'", "data:"]  # No other host unless CSP_IMG_HOSTS names it.
    return policy


def test_pages_the_api_and_the_admin_send_the_strict_policy_and_the_other_headers():
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), f"{API}articles/", "/admin/login/", "/api/docs/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert_strict_csp(response)
        assert response["Permissions-Policy"].startswith("accelerometer=(), camera=()")
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


def test_a_markdown_image_from_another_host_is_not_loaded():
    """The sanitizer keeps https images; the policy keeps the reader's browser from fetching a tracker's."""
    article = ArticleFactory(body="Results below.\n\n![chart](https://tracker.example/pixel.gif?reader=1)")
    response = Client().get(article.get_absolute_url())
    assert 'src="https://tracker.example/pixel.gif?reader=1"' in response.content.decode()
    assert not any("tracker.example" in value or value in ("*", "https:") for value in csp(response)["img-src"])


@pytest.fixture
def static_files(settings):
    """WhiteNoise serving from the apps' static folders, as it does from STATIC_ROOT in production."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.mark.parametrize("path", ["/static/css/site.css", "/static/favicon.svg"])
def test_static_files_carry_the_policy_and_refuse_framing(static_files, path):
    response = Client().get(path)
    assert response.status_code == 200
    policy = assert_strict_csp(response)
    assert not any(value.startswith("'nonce-") for value in policy["script-src"])
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Permissions-Policy"].startswith("accelerometer=()")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_api_docs_run_no_inline_script_and_their_style_carries_the_nonce(settings):
    settings.PAGE_CACHE_SECONDS = 300
    nonces = []
    for _ in range(2):
        response = Client().get("/api/docs/")
        html = response.content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        (nonce,) = re.findall(r'<style nonce="([^"]+)">', html)
        assert f"'nonce-{nonce}'" in csp(response)["style-src"]
        assert response["X-Cache"] == "miss"  # A page with a nonce is never cached: the nonce is per response.
        nonces.append(nonce)
    assert nonces[0] != nonces[1]

    (script_url,) = re.findall(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', html)
    init = Client().get(script_url.replace("&amp;", "&"))
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in init.content.decode()
    assert "validatorUrl" in init.content.decode()  # Set to null: no badge image from another host.


# --- Client addresses that cannot be forged ---


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    return settings


def statuses(client, forwarded_for, count):
    return [client.get(f"{API}topics/", HTTP_X_FORWARDED_FOR=next(forwarded_for)).status_code for _ in range(count)]


def random_addresses(suffix=""):
    while True:
        yield f"198.51.{uuid.uuid4().int % 256}.{uuid.uuid4().int % 256}{suffix}"


def test_without_trusted_proxies_a_forged_forwarded_for_buys_no_fresh_identity(three_a_minute):
    assert statuses(client_for(), random_addresses(), 6) == [200, 200, 200, 429, 429, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_identity(three_a_minute):
    three_a_minute.REST_FRAMEWORK = {**three_a_minute.REST_FRAMEWORK, "NUM_PROXIES": 1}
    reader = client_for()
    # Whatever the client wrote before it, the proxy appended the address it saw: 203.0.113.7.
    assert statuses(reader, random_addresses(suffix=", 203.0.113.7"), 4) == [200, 200, 200, 429]
    neighbour = iter(["203.0.113.8"] * 3)
    assert statuses(reader, neighbour, 3) == [200, 200, 200]  # Another client behind the proxy: its own bucket.
