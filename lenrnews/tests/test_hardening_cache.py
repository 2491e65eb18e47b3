"""One truth across workers, and Redis that is not a single point of failure (lenrnews/cache_backends.py).

Redis "down" is played by a port where nothing listens (refused at once), a socket that
accepts and never answers (hung), and, for the recovery, a proxy in front of the real
Redis that can be cut and restored.
"""

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from articles.models import Topic
from articles.tests.factories import ArticleFactory, UserFactory
from lenrnews import cache_backends, throttles
from lenrnews.tests.api_support import API, client_for, editor
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

REAL_REDIS = ("127.0.0.1", 6379)
PUBLIC_URLS = ["/", "/articles/", "/organizations/", "/api/v1/organizations/", "/feeds/articles.rss"]
PUBLIC_URLS += ["/robots.txt", "/sitemap.xml"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(url, **params):
    """The cache settings.py configures for REDIS_URL."""
    return {
        "default": {
            "BACKEND": "lenrnews.cache_backends.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
            "CIRCUIT_COOLDOWN": 30,
            **params,
        }
    }


class HungServer:
    """Accepts connections and never answers: Redis stuck in a long command, or a dead host behind a live NAT."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.listener.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


class RedisProxy:
    """Forwards to the real Redis while up; while down, drops every connection and refuses new ones."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.open = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(REAL_REDIS)
            self.open += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                end.close()

    def cut(self):
        self.up = False
        for end in self.open:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()
        self.open = []

    def restore(self):
        self.up = True

    def close(self):
        self.cut()
        self.listener.close()


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    throttles.local_cache.clear()  # The throttles' own fallback, per process like the circuit.
    yield
    throttles.local_cache.clear()


@pytest.fixture
def refused_redis(settings, page_cache):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")


@pytest.fixture
def hung_redis(settings, page_cache):
    server = HungServer()
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{server.port}/0")
    yield server
    server.close()


@pytest.fixture
def clock(monkeypatch):
    """The circuit's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(cache_backends, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def content():
    article = ArticleFactory(title="Excess heat in Padua")
    organization = OrganizationFactory(name="Industrial Heat")
    return [article.get_absolute_url(), organization.get_absolute_url()]


def cache_log(caplog):
    """What lenrnews.cache logged, fixtures included (creating content bumps the page cache)."""
    records = caplog.get_records("setup") + caplog.get_records("call")
    return [record for record in records if record.name == "lenrnews.cache"]


def anonymous():
    client = Client()
    client.raise_request_exception = False
    return client


# --- One truth across workers ---


def run_check(tmp_path, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "TESTING", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "lenrnews.example.org",
            **env_overrides,
        }
    )
    return subprocess.run(
        [sys.executable, str(django_settings.BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_a_cache_that_each_worker_keeps_for_itself(tmp_path):
    """With DEBUG off and no REDIS_URL, each gunicorn worker would have its own pages, generation and rate limits."""
    refused = run_check(tmp_path)
    assert refused.returncode != 0
    assert "REDIS_URL must be set when DEBUG is off" in refused.stderr

    shared = run_check(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    assert shared.returncode == 0, shared.stderr
    single_process = run_check(tmp_path, ALLOW_PER_PROCESS_CACHE="1")
    assert single_process.returncode == 0, single_process.stderr


# --- Redis refused ---


def test_with_redis_refused_readers_get_every_page_uncached(refused_redis, content, caplog):
    reader = anonymous()
    for url in PUBLIC_URLS + content:
        for _ in range(2):
            response = reader.get(url)
            assert response.status_code == 200, url
            assert "X-Cache" not in response, url  # Served without the cache, not from a stale copy.
    unreachable = [r for r in cache_log(caplog) if "unreachable" in r.getMessage()]
    assert len(unreachable) == 1  # Logged once, when the circuit opened (creating the content); not per request.
    assert unreachable[0].levelname == "ERROR"


def test_with_redis_refused_editors_log_in_and_writes_are_kept(refused_redis):
    UserFactory(username="eddie", is_staff=True, is_superuser=True)
    browser = Client()
    login = browser.post(
        "/admin/login/?next=/admin/", {"username": "eddie", "password": "correct-horse-battery-staple"}
    )
    assert login.status_code == 302 and login["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200

    created = client_for(editor()).post(f"{API}topics/", {"name": "Gas loading"}, format="json")
    assert created.status_code == 201
    assert Topic.objects.filter(name="Gas loading").exists()  # The content signal's cache bump didn't roll it back.
    assert anonymous().get("/api/v1/topics/gas-loading/").status_code == 200


def test_with_redis_refused_the_api_throttle_still_counts(refused_redis, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    reader = client_for()
    assert [reader.get(f"{API}topics/").status_code for _ in range(5)] == [200, 200, 200, 429, 429]


# --- Redis hung ---


def test_a_hung_redis_costs_one_request_about_100_ms_then_is_left_alone(clock, hung_redis, content, caplog):
    """Creating the content (its cache bump) found Redis hung and opened the circuit; it waited 0.1 s, not 5."""
    assert len(hung_redis.connections) == 1
    reader = anonymous()
    started = time.monotonic()
    for url in PUBLIC_URLS + content:
        assert reader.get(url).status_code == 200, url
    assert time.monotonic() - started < 10
    assert len(hung_redis.connections) == 1  # Nobody asked the hung Redis again during the cool-off.

    clock[0] += 31  # After the cool-off, one request tries again and waits its 0.1 s; the next ones don't.
    started = time.monotonic()
    trial = reader.get("/robots.txt")
    trial_took = time.monotonic() - started
    assert trial.status_code == 200
    assert trial_took < 2  # 0.1 s for Redis, the rest is the page (Django's own RedisCache: 5 s, then a 500).
    for _ in range(3):
        assert reader.get("/robots.txt").status_code == 200
    assert len(hung_redis.connections) == 2
    assert [r.levelname for r in cache_log(caplog)] == ["ERROR", "WARNING"]  # Opened, then "still unreachable".


# --- Recovery ---


def real_redis_answers():
    try:
        socket.create_connection(REAL_REDIS, timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def proxied_redis(settings, page_cache):
    if not real_redis_answers():
        pytest.skip("no Redis on 127.0.0.1:6379")
    proxy = RedisProxy()
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{proxy.port}/15", KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    yield proxy
    proxy.close()


def test_after_an_outage_no_page_older_than_a_write_made_during_it_is_served(proxied_redis, clock, caplog):
    """The write's cache bump was lost with Redis; the page cached before it must not come back with Redis."""
    ArticleFactory(title="Excess heat in Padua")
    reader = anonymous()
    assert reader.get("/articles/")["X-Cache"] == "miss"
    assert reader.get("/articles/")["X-Cache"] == "hit"

    proxied_redis.cut()
    ArticleFactory(title="Nickel-hydrogen reactor at Uppsala")
    during = reader.get("/articles/")
    assert during.status_code == 200 and "Uppsala" in during.content.decode()

    proxied_redis.restore()
    clock[0] += 31
    after = reader.get("/articles/")
    assert after.status_code == 200
    assert "Uppsala" in after.content.decode()
    assert after["X-Cache"] == "miss"
    assert reader.get("/articles/")["X-Cache"] == "hit"  # The cache is in use again.
    messages = [r.getMessage() for r in cache_log(caplog)]
    assert any("answers again" in message for message in messages)


def test_a_value_rewritten_during_the_outage_never_comes_back_old(proxied_redis, clock):
    cache.set("deal:baishishan:status", "announced")
    proxied_redis.cut()
    cache.set("deal:baishishan:status", "terminated")  # Lost with Redis.
    assert cache.get("deal:baishishan:status") is None  # A miss, not an error.

    proxied_redis.restore()
    clock[0] += 31
    assert cache.get("deal:baishishan:status") is None  # Not "announced": the stale value was deleted.
    cache.set("deal:baishishan:status", "terminated")
    assert cache.get("deal:baishishan:status") == "terminated"


def test_past_too_many_lost_writes_the_whole_cache_is_cleared(proxied_redis, clock, monkeypatch, caplog):
    monkeypatch.setattr(cache_backends, "MAX_LOST_KEYS", 2)
    cache.set_many({"kept-before": 1, "also-before": 2})
    proxied_redis.cut()
    for n in range(3):
        cache.set(f"lost-{n}", n)

    proxied_redis.restore()
    clock[0] += 31
    assert cache.get_many(["kept-before", "also-before"]) == {}
    assert any("every key" in record.getMessage() for record in cache_log(caplog))
