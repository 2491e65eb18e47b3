"""Password guessing and token guessing: throttled, locked out, logged, and cheap to refuse.

Logins are counted by django-axes per account and per client address (in the database);
wrong API tokens per client address. See lenrnews/authentication.py.
"""

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.tests.factories import UserFactory
from lenrnews.tests.api_support import API

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct-horse-battery-staple"  # UserFactory's
ATTACKER = "203.0.113.66"
ELSEWHERE = "198.51.100.7"


def login(client, username, password, address=ATTACKER):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def is_logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def admin_user():
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, admin_user, settings):
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [login(client, "admin", f"guess-{n}").status_code for n in range(50)]

    # The form comes back with its error until the limit; from the limit on, the lockout page.
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}

    response = login(client, "admin", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert f"refused for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "no-cache" in response["Cache-Control"]
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the login form


def test_the_lock_ends_after_the_cool_off(client, admin_user, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", f"guess-{n}")
    assert login(client, "admin", PASSWORD).status_code == 429

    with time_machine.travel(
        datetime.datetime.now(datetime.UTC) + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=5)
    ):
        response = login(client, "admin", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_an_address_is_locked_out_across_usernames(client, admin_user, settings):
    """One address guessing a different account each time is stopped all the same."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"someone-{n}", "guess")

    assert login(client, "admin", PASSWORD).status_code == 429
    assert not is_logged_in(client)
    # The account itself is not locked: from another address its owner logs in.
    assert login(client, "admin", PASSWORD, address=ELSEWHERE).status_code == 302
    assert is_logged_in(client)


def test_an_account_is_locked_out_across_addresses(client, admin_user, settings):
    """Guesses at one account spread over many addresses lock that account."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", "guess", address=f"203.0.113.{n + 1}")

    assert login(client, "admin", PASSWORD, address=ELSEWHERE).status_code == 429
    assert not is_logged_in(client)
    # Other accounts, from that address, are not affected.
    UserFactory(username="wendy", is_staff=True)
    assert login(client, "wendy", PASSWORD, address=ELSEWHERE).status_code == 302


def test_the_lockout_is_kept_in_the_database_not_in_one_worker_s_memory(client, admin_user, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", f"guess-{n}")

    cache.clear()  # what another worker, with its own in-process cache, would start with

    assert login(client, "admin", PASSWORD).status_code == 429


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting every hash it computes (checking a password computes one)."""

    computed = 0

    def encode(self, password, salt):
        CountingHasher.computed += 1
        return super().encode(password, salt)


def test_a_locked_out_login_never_hashes_a_password(client, settings):
    settings.PASSWORD_HASHERS = ["lenrnews.tests.test_login_abuse.CountingHasher"]
    UserFactory(username="admin", is_staff=True)
    CountingHasher.computed = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", f"guess-{n}")
    assert CountingHasher.computed >= settings.AXES_FAILURE_LIMIT  # each counted failure did hash

    CountingHasher.computed = 0
    statuses = {login(client, "admin", f"guess-again-{n}").status_code for n in range(20)}
    statuses.add(login(client, "nobody", "guess").status_code)  # an unknown account, from the locked address
    statuses.add(login(client, "admin", PASSWORD).status_code)

    assert statuses == {429}
    assert CountingHasher.computed == 0


def test_a_locked_out_login_asks_the_database_once_then_never(client, admin_user, settings, django_assert_num_queries):
    """Refused before the login view runs: the first refusal checks the counts (and when the lock ends), later ones
    are answered from the cache without a query."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", f"guess-{n}")

    with django_assert_num_queries(4):  # the two counts, and the attempts that set the lock's end
        first = login(client, "admin", PASSWORD)
    with django_assert_num_queries(0):
        later = [login(client, "admin", f"guess-again-{n}") for n in range(10)]

    for response in [first, *later]:
        assert response.status_code == 429
        assert "Too many failed logins" in response.content.decode()
        assert 'name="password"' not in response.content.decode()


def test_a_remembered_lockout_lasts_as_long_as_the_lock(client, admin_user, settings):
    """Remembering a refusal neither shortens the lock (it holds past the remembered minute) nor lengthens it."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", f"guess-{n}")
    assert login(client, "admin", PASSWORD).status_code == 429  # remembered from now on
    start = datetime.datetime.now(datetime.UTC)

    for minutes in (2, 10, settings.AXES_COOLOFF_TIME.total_seconds() / 60 - 1):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert login(client, "admin", PASSWORD).status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=5)):
        response = login(client, "admin", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize(
    "lift",
    [
        pytest.param(lambda: call_command("axes_reset"), id="axes_reset"),
        pytest.param(lambda: call_command("axes_reset_username", "admin"), id="axes_reset_username"),
        pytest.param(lambda: AccessAttempt.objects.all().delete(), id="admin-delete"),
    ],
)
def test_a_lifted_lock_is_lifted_at_once_though_its_refusal_was_remembered(client, admin_user, settings, lift):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", f"guess-{n}", address=f"203.0.113.{n + 1}")  # the account is locked, no address is
    assert login(client, "admin", PASSWORD, address=ELSEWHERE).status_code == 429  # remembered

    lift()

    assert login(client, "admin", PASSWORD, address=ELSEWHERE).status_code == 302
    assert is_logged_in(client)


def test_a_remembered_refusal_is_for_that_account_from_that_address_only(client, admin_user, settings):
    """The address is locked, not the account: its owner elsewhere still logs in, remembered refusal or not."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"someone-{n}", "guess")
    assert login(client, "admin", PASSWORD).status_code == 429  # remembered for admin from ATTACKER

    assert login(client, "admin", PASSWORD, address=ELSEWHERE).status_code == 302


# --- API tokens ---


@pytest.fixture
def token():
    return Token.objects.create(user=UserFactory(username="reader-with-token")).key


def test_wrong_tokens_get_429_after_the_limit_even_with_the_right_token(settings, token):
    settings.API_TOKEN_FAILURES = "3/hour"
    attacker = APIClient(REMOTE_ADDR=ATTACKER)

    statuses = [attacker.get(f"{API}topics/", HTTP_AUTHORIZATION=f"Token wrong-{n}").status_code for n in range(3)]
    assert statuses == [401, 401, 401]

    response = attacker.get(f"{API}topics/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "failed token attempts" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 3600

    # Reading without a token goes on from that address; the token works from elsewhere.
    assert attacker.get(f"{API}topics/").status_code == 200
    elsewhere = APIClient(REMOTE_ADDR=ELSEWHERE)
    assert elsewhere.get(f"{API}topics/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200

    # Once the failures are an hour old, the address may try again.
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1, seconds=5)):
        assert attacker.get(f"{API}topics/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_right_tokens_are_never_counted(settings, token):
    settings.API_TOKEN_FAILURES = "3/hour"
    client = APIClient(REMOTE_ADDR=ATTACKER, HTTP_AUTHORIZATION=f"Token {token}")

    assert {client.get(f"{API}topics/").status_code for _ in range(10)} == {200}


def test_a_spoofed_forwarded_for_header_does_not_reset_the_count(settings, token):
    """With no trusted proxy (NUM_PROXIES=0), the address is the connection's, whatever the headers say."""
    settings.API_TOKEN_FAILURES = "3/hour"
    attacker = APIClient(REMOTE_ADDR=ATTACKER)
    for n in range(3):
        attacker.get(f"{API}topics/", HTTP_AUTHORIZATION=f"Token wrong-{n}", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = attacker.get(f"{API}topics/", HTTP_AUTHORIZATION=f"Token {token}", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


# --- The auth log ---


def test_successes_and_failures_are_logged_without_passwords_or_tokens(client, admin_user, settings, token, caplog):
    settings.API_TOKEN_FAILURES = "2/hour"
    caplog.set_level(logging.DEBUG)  # every logger, so nothing anywhere may carry a secret
    wrong_password, wrong_token = "hunter2-wrong-password", "0123456789abcdef-wrong-token"

    login(client, "admin", PASSWORD, address=ELSEWHERE)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        login(client, "admin", wrong_password)
    api = APIClient(REMOTE_ADDR=ATTACKER)
    for _ in range(3):
        api.get(f"{API}topics/", HTTP_AUTHORIZATION=f"Token {wrong_token}")
    api.get(f"{API}topics/", HTTP_AUTHORIZATION=f"Token {token}")

    auth_log = [r.getMessage() for r in caplog.records if r.name == "lenrnews.auth"]
    assert f"login succeeded: user='admin' address={ELSEWHERE} path=/admin/login/" in auth_log
    assert auth_log.count(f"login failed: user='admin' address={ATTACKER} path=/admin/login/") == (
        settings.AXES_FAILURE_LIMIT
    )
    assert f"login refused (locked out): user='admin' address={ATTACKER} path=/admin/login/" in auth_log
    assert f"API token rejected: address={ATTACKER} path=/api/v1/topics/ failures=2/2" in auth_log
    assert f"API token refused (too many failures): address={ATTACKER} path=/api/v1/topics/" in auth_log
    everything = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for secret in (PASSWORD, wrong_password, wrong_token, token):
        assert secret not in everything


def test_each_refused_login_is_one_line_of_the_auth_log_and_no_other(client, admin_user, settings, caplog):
    """During an attack every refusal is a log line: one (who, from where), not a second "Too Many Requests"."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", f"guess-{n}")
    caplog.clear()
    caplog.set_level(logging.INFO)

    for n in range(3):
        assert login(client, "admin", f"guess-again-{n}").status_code == 429

    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("lenrnews.auth", f"login refused (locked out): user='admin' address={ATTACKER} path=/admin/login/")
    ] * 3
