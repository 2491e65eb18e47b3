"""Who is calling, and what happens when they get it wrong: login lockout, token failures, the auth log.

- Logins (the admin's form, anything that calls ``django.contrib.auth.authenticate``) are
  counted by django-axes, per account and per client address, in the database so every
  worker sees the same counts. Past ``AXES_FAILURE_LIMIT`` failures, attempts are refused
  with :func:`lockout_response` *before* the password is hashed: the admin's login form by
  :class:`RefuseLockedOutLogins` before its view runs, any other ``authenticate()`` by
  :class:`LockoutBackend` (first in ``AUTHENTICATION_BACKENDS``). A password-guessing client
  costs a worker a few queries, not a hash, and only once: the form's refusal is remembered
  in the cache until the lock ends (:func:`login_locked_out`), so later guesses from the same
  address at the same account are refused without a query.
- API tokens (:class:`TokenAuthentication`): each wrong token counts against the client
  address; past the ``API_TOKEN_FAILURES`` rate, every token the address sends is answered 429
  with ``Retry-After`` until the oldest failure ages out. Requests without a token are
  not affected, so readers behind the same address keep reading.
- Every success and failure is logged to the ``lenrnews.auth`` logger, with the account
  name and the client address, never a password or a token.

The client address is one rule for all of these and for the API's rate limits:
:func:`client_address`, DRF's reading of ``REMOTE_ADDR`` and ``X-Forwarded-For`` with
``NUM_PROXIES`` trusted proxies.
"""

import hashlib
import logging
import math
import time

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.core.cache import cache
from django.db.models import signals as model_signals
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from rest_framework import authentication, exceptions, throttling

log = logging.getLogger("lenrnews.auth")

# Long enough for a real account name, short enough that a pasted novel doesn't fill the log.
LOGGED_NAME_LENGTH = 150
# A refused login is remembered in the cache (login_locked_out) until its lock ends, and for
# at most this long: a worker whose cache is its own hears of a lifted lock within a minute.
REMEMBERED_LOCK_SECONDS = 60
REMEMBERED_LOCK_PREFIX = "login-lock:"
# Changed whenever Axes' counts change (a failure counted, a lock lifted): locks remembered
# before it no longer count.
LOCKS_GENERATION_KEY = "login-lock:generation"


def client_address(request):
    """The client's address: ``REMOTE_ADDR``, or the address ``NUM_PROXIES`` trusted proxies report."""
    return throttling.BaseThrottle().get_ident(request)


def _address(request):
    return client_address(request) if request is not None else "-"


def _path(request):
    return request.path if request is not None else "-"


def _name(username):
    return str(username or "")[:LOGGED_NAME_LENGTH]


class LockoutBackend(AxesStandaloneBackend):
    """Axes' backend (first in ``AUTHENTICATION_BACKENDS``), marking the request it refuses unchecked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.login_refused_locked_out = True
            raise


@receiver(auth_signals.user_logged_in, dispatch_uid="lenrnews-auth-log-success")
def log_login(sender, request, user, **kwargs):
    log.info(
        "login succeeded: user=%r address=%s path=%s", _name(user.get_username()), _address(request), _path(request)
    )


@receiver(auth_signals.user_login_failed, dispatch_uid="lenrnews-auth-log-failure")
def log_login_failure(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in ``credentials``; only the name is read.
    log.warning(
        "login %s: user=%r address=%s path=%s",
        "refused (locked out)" if getattr(request, "login_refused_locked_out", False) else "failed",
        _name(credentials.get("username")),
        _address(request),
        _path(request),
    )


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets (``AXES_LOCKOUT_CALLABLE``): 429, a page that says why and for how long."""
    cool_off = settings.AXES_COOLOFF_TIME
    # Without the request, so without the context processors (the navigation): the page needs none.
    page = render_to_string(
        "locked_out.html",
        {
            "SITE_NAME": settings.SITE_NAME,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": math.ceil(cool_off.total_seconds() / 60),
        },
    )
    response = HttpResponse(page, status=429)
    # The lock ends at most this long after the last counted failure.
    response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    add_never_cache_headers(response)
    # Logged once, by lenrnews.auth (who and from where), not again as django.request's
    # "Too Many Requests": during an attack every refusal would write two lines.
    response._has_been_logged = True
    return response


def _remembered_lock_key(username, address):
    digest = hashlib.sha256(repr((username, address)).encode()).hexdigest()
    return REMEMBERED_LOCK_PREFIX + digest


def login_locked_out(request, credentials):
    """Whether Axes refuses this login, asking the database only when no refusal is remembered.

    A refusal is remembered in the cache for the account name and client address until the
    lock ends (at most ``REMEMBERED_LOCK_SECONDS``), unless Axes' counts change meanwhile.
    While the lock holds no failure is counted for that account or address, so the end
    computed here can only come early, never late; a lock lifted in the admin or with
    ``axes_reset`` changes the counts, and the remembered refusal with them.
    """
    field = str(settings.AXES_USERNAME_FORM_FIELD)
    key = _remembered_lock_key(credentials.get(field), client_address(request))
    found = cache.get_many([key, LOCKS_GENERATION_KEY])
    generation, remembered = found.get(LOCKS_GENERATION_KEY), found.get(key)
    if remembered is not None and remembered[0] == generation and time.time() < remembered[1]:
        return True
    if AxesProxyHandler.is_allowed(request, credentials):
        return False
    ends = lockout_end(request, credentials)
    if ends is not None:
        seconds = min(ends.timestamp() - time.time(), REMEMBERED_LOCK_SECONDS)
        if seconds > 0:
            cache.set(key, (generation, time.time() + seconds), timeout=math.ceil(seconds))
    return True


def lockout_end(request, credentials):
    """When Axes' lock on this login ends if nothing changes: the latest end of its account's and address's locks.

    For each lockout parameter, the newest attempts add up to the failure limit; the lock lasts
    until the oldest of those is a cool-off old. ``None`` when no count reaches the limit
    (refused for another reason).
    """
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    ends = []
    for attempts in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials):
        total = 0
        newest_first = attempts.order_by("-attempt_time").values_list("attempt_time", "failures_since_start")
        for attempt_time, failures in newest_first:
            total += failures
            if total >= limit:
                ends.append(attempt_time + cool_off)
                break
    return max(ends, default=None)


@receiver(model_signals.post_save, sender="axes.AccessAttempt", dispatch_uid="lenrnews-lock-counts-saved")
@receiver(model_signals.post_delete, sender="axes.AccessAttempt", dispatch_uid="lenrnews-lock-counts-deleted")
def forget_remembered_locks(**kwargs):
    cache.set(LOCKS_GENERATION_KEY, time.time_ns(), timeout=None)


class RefuseLockedOutLogins:
    """Answer a login from a locked-out account or address before the login view runs.

    Axes' backend would refuse it too, but only once the view has parsed the form, and
    the form page it renders is thrown away; here a refusal costs a cache read (the
    lockout check's queries the first time, :func:`login_locked_out`) and the lockout page,
    so a guessing client keeps a worker busy for very little.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and settings.AXES_ENABLED and request.path_info == reverse("admin:login"):
            field = str(settings.AXES_USERNAME_FORM_FIELD)
            credentials = {field: request.POST.get(field)}
            if login_locked_out(request, credentials):
                log.warning(
                    "login refused (locked out): user=%r address=%s path=%s",
                    _name(credentials[field]),
                    _address(request),
                    _path(request),
                )
                return lockout_response(request, credentials=credentials)
        return self.get_response(request)


class TokenFailureThrottle(throttling.SimpleRateThrottle):
    """Wrong API tokens per client address, at the rate of the ``API_TOKEN_FAILURES`` setting.

    Unlike a request throttle it only records failures: :meth:`refusal` asks whether the
    address is over its limit, :meth:`record_failure` counts one more. The counts live in
    the default cache (shared by every worker when it is Redis).
    """

    scope = "token_failures"

    def get_rate(self):
        return settings.API_TOKEN_FAILURES

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def _load(self, request):
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        self.history = [moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration]

    def refusal(self, request):
        """Seconds to wait if the address has used up its failures, else None."""
        self._load(request)
        if len(self.history) < self.num_requests:
            return None
        return self.wait()

    def record_failure(self, request):
        """Count a failure; return how many the address has in the window."""
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
        return len(self.history)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with failures counted and throttled per client address."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # No token offered: nothing to count.
        failures = TokenFailureThrottle()
        wait = failures.refusal(request)
        if wait is not None:
            log.warning(
                "API token refused (too many failures): address=%s path=%s", client_address(request), request.path
            )
            raise exceptions.Throttled(
                wait=wait, detail="Too many failed token attempts from this address. Wait the seconds in Retry-After."
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            count = failures.record_failure(request)
            log.warning(
                "API token rejected: address=%s path=%s failures=%d/%d",
                client_address(request),
                request.path,
                count,
                failures.num_requests,
            )
            raise
