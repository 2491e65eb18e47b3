"""The site as production runs it: settings from the environment with DEBUG off, in processes of their own.

Settings are read once, at start, so each case starts a process with its environment
(REDIS_URL at a port where nothing listens: the cache is down throughout, which the site
must survive anyway) and asks it for a few responses through Django's test client. The
headers asserted are the ones the MDN HTTP Observatory scores (an A+ needs a CSP without
'unsafe-inline', HSTS, X-Content-Type-Options, frame refusal, a Referrer-Policy, CORP and
cookies that are Secure, HttpOnly and SameSite).
"""

import json
import os
import secrets
import socket
import subprocess
import sys

import pytest
from django.conf import settings

# Its tests share one production site set up in a subprocess (about 40 s): one worker runs them all.
# The site has its own SQLite database, so CI's PostgreSQL run leaves the module out.
pytestmark = [pytest.mark.xdist_group("production-site"), pytest.mark.same_on_every_database]

ROOT = settings.BASE_DIR
HOST = "lenrnews.example.org"
PASSWORD = secrets.token_urlsafe(16)

# Runs in the production process: each request of the list in argv, through one client
# (cookies carry over); a POST with "csrf" sends the CSRF cookie back as the form token.
PROBE = r"""
import json, sys
import django
django.setup()
from django.templatetags.static import static
from django.test import Client

client = Client(raise_request_exception=False)
results = []
for spec in json.loads(sys.argv[1]):
    path = static(spec["static"]) if "static" in spec else spec["path"]
    headers = spec.get("headers", {})
    if spec.get("method") == "post":
        data = dict(spec.get("data", {}))
        if spec.get("csrf"):
            data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
        response = client.post(path, data, headers=headers)
    else:
        response = client.get(path, headers=headers)
    cookies = {
        name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
        for name, c in response.cookies.items()
    }
    body = b"".join(response) if response.streaming else response.content
    results.append({"path": path, "status": response.status_code, "headers": dict(response.items()),
                    "cookies": cookies, "body": body[:4000].decode("utf-8", "replace")})
print(json.dumps(results))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(tmp, **overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    for key in ("DEBUG", "TESTING", "TRUSTED_PROXIES", "SECURE_SSL_REDIRECT", "CSP_IMG_HOSTS", "PAGE_CACHE_SECONDS"):
        env.pop(key, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lenrnews.settings",
            "PYTHONPATH": str(ROOT),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "STATIC_ROOT": str(tmp / "static"),
            **overrides,
        }
    )
    return env


def run(args, env):
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def manage(env, *args):
    return run([sys.executable, str(ROOT / "manage.py"), *args], env)


def probe(env, *requests):
    specs = [{**spec, "headers": {"Host": HOST, **spec.get("headers", {})}} for spec in requests]
    output = run([sys.executable, "-c", PROBE, json.dumps(specs)], env).stdout
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated database, an editor, and the collected static files (the Swagger and DRF ones left out)."""
    tmp = tmp_path_factory.mktemp("production")
    env = production_env(tmp, DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org")
    manage(env, "collectstatic", "--noinput", "-v0", "-i", "drf_spectacular_sidecar", "-i", "rest_framework")
    return tmp


BEHIND_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


@pytest.fixture(scope="module")
def responses(site):
    """A page, the API, a static file, the admin login page and a login, through one trusted proxy."""
    env = production_env(site, TRUSTED_PROXIES="1")
    page, api, static_file, login_page, login, plain_http = probe(
        env,
        {"path": "/", "headers": BEHIND_PROXY},
        {"path": "/api/v1/", "headers": BEHIND_PROXY},
        {"static": "css/site.css", "headers": BEHIND_PROXY},
        {"path": "/admin/login/", "headers": BEHIND_PROXY},
        {
            "path": "/admin/login/?next=/admin/",
            "method": "post",
            "csrf": True,
            "data": {"username": "editor", "password": PASSWORD},
            "headers": {**BEHIND_PROXY, "Referer": f"https://{HOST}/admin/login/"},
        },
        {"path": "/", "headers": {"X-Forwarded-For": "203.0.113.7"}},
    )
    return {
        "page": page,
        "api": api,
        "static": static_file,
        "login_page": login_page,
        "login": login,
        "http": plain_http,
    }


def csp(headers):
    policy = headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize("name", ["page", "api", "static"])
def test_a_page_the_api_and_a_static_file_have_every_header_an_a_plus_rests_on(responses, name):
    response = responses[name]
    assert response["status"] == 200, response
    headers = response["headers"]
    policy = csp(headers)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Permissions-Policy"].startswith("accelerometer=()")


def test_cookies_are_secure_http_only_and_same_site(responses):
    assert responses["login_page"]["status"] == 200
    assert responses["login"]["status"] == 302, responses["login"]["body"]
    csrf = responses["login_page"]["cookies"]["csrftoken"]
    session = responses["login"]["cookies"]["sessionid"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_the_site_answers_with_the_cache_down(responses):
    """REDIS_URL points where nothing listens: the pages are served uncached, the login works."""
    assert "lenrnews" in responses["page"]["body"]
    assert "X-Cache" not in responses["page"]["headers"]


def test_plain_http_is_redirected_to_https(responses):
    assert responses["http"]["status"] == 301
    assert responses["http"]["headers"]["Location"] == f"https://{HOST}/"


def test_forwarded_proto_is_believed_only_behind_a_configured_proxy(site):
    (forged,) = probe(production_env(site), {"path": "/", "headers": BEHIND_PROXY})
    assert forged["status"] == 301  # TRUSTED_PROXIES=0: anyone could send the header, so it is not a secure request.
    assert forged["headers"]["Location"] == f"https://{HOST}/"


def test_hsts_subdomains_and_preload_are_settings(site):
    env = production_env(site, TRUSTED_PROXIES="1", SECURE_HSTS_INCLUDE_SUBDOMAINS="0", SECURE_HSTS_PRELOAD="0")
    (page,) = probe(env, {"path": "/", "headers": BEHIND_PROXY})
    assert page["headers"]["Strict-Transport-Security"] == "max-age=31536000"
    check = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in check.stdout  # Turned off on purpose: the deploy checklist takes the decision.


def test_csp_img_hosts_allows_images_from_the_hosts_it_names(site):
    env = production_env(site, TRUSTED_PROXIES="1", CSP_IMG_HOSTS="upload.wikimedia.org,*.lenr-images.example")
    (api,) = probe(env, {"path": "/api/v1/", "headers": BEHIND_PROXY})
    assert csp(api["headers"])["img-src"] == [
        "'self'",
        "data:",
        "https://upload.wikimedia.org",
        "https://*.lenr-images.example",
    ]


def test_a_database_that_refuses_connections_is_a_503(site):
    env = production_env(
        site, TRUSTED_PROXIES="1", DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/lenrnews"
    )
    page, api = probe(env, {"path": "/", "headers": BEHIND_PROXY}, {"path": "/api/v1/topics/", "headers": BEHIND_PROXY})
    assert page["status"] == 503
    assert page["headers"]["Retry-After"] == "30"
    assert "We are briefly unavailable" in page["body"]
    assert api["status"] == 503
    assert api["headers"]["Content-Type"] == "application/json"
    assert "unavailable" in json.loads(api["body"])["detail"]
