"""The page cache: whole responses for anonymous readers of the public site and the read API.

An entry is keyed on the absolute URL (scheme, host, path and the query string with its
parameters sorted), the ``Accept`` header for the API, and a *generation* number kept
in the cache. Any change to content bumps the generation, so every entry stored before
it is out of reach at once (and expires on its own).

Scheduled articles go live without a write: an entry never outlives the next
``publish_at`` of a published article (the articles app registers it with
:func:`register_schedule`), computed once per generation.

What is never stored or served from the cache: requests under /admin/ (previews
included), requests with an ``Authorization`` header, a non-empty session (anyone
logged in) or pending messages; responses other than 200, streaming ones, ones that
set a cookie, embed a CSRF token or a CSP nonce or touch the session, and ones marked
``private`` or ``no-store`` (``never_cache``). While the cache is unreachable, pages are
served uncached.

The API's throttles still count cached responses: a hit under /api/ asks the view's
throttles first, and a throttled client gets the view's own 429.

ETags and 304s come from Django's ConditionalGetMiddleware, above this one: a hit
passes through it like a fresh response, so a matching ``If-None-Match`` is a 304.
"""

import datetime
import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve
from django.utils.http import urlencode

GENERATION_KEY = "pagecache:generation"
CONTENT_APPS = {"articles", "organizations", "investments"}
EXCLUDED_PREFIXES = ("/admin/",)
API_PREFIX = "/api/"
UNCACHEABLE_DIRECTIVES = {"private", "no-store"}


def generation():
    """The current content generation, started at a clock value so that a lost key never reuses old entries."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def bump_generation():
    """Make every cached page stale: call it after any write to content that sends no model signal."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # No generation yet (or it was evicted): starting one is enough.
        generation()


# Functions answering when content next goes public without a write (a scheduled
# article), or None; the apps that schedule content add theirs in AppConfig.ready().
SCHEDULES: list[Callable[[], datetime.datetime | None]] = []


def register_schedule(next_change):
    """Keep no page past ``next_change()``, the datetime of the next change that no write announces."""
    if next_change not in SCHEDULES:
        SCHEDULES.append(next_change)


def next_publication(gen):
    """The timestamp of the next scheduled change (infinity if none), cached per generation."""
    key = f"pagecache:{gen}:next-publication"
    now = time.time()
    value = cache.get(key)
    if value is None or value <= now:
        upcoming = [when for when in (next_change() for next_change in SCHEDULES) if when is not None]
        value = min(upcoming).timestamp() if upcoming else math.inf
        cache.set(key, value, timeout=settings.PAGE_CACHE_SECONDS)
    return value


def content_changed(sender, using=None, action="post_", **kwargs):
    """Signal receiver: a saved, deleted or relinked row of a content model bumps the generation.

    It bumps at once (the next request in this process sees the change) and again when
    the transaction commits, so that a page rendered by another request from the data
    before the commit, stored under the first bump, is out of reach too.
    """
    if sender._meta.app_label not in CONTENT_APPS or not action.startswith("post_"):
        return
    bump_generation()
    transaction.on_commit(bump_generation, using=using)


def page_key(request, gen):
    """The entry's key; the same for GET and HEAD, so a HEAD is answered from the entry a GET stored."""
    params = sorted(request.GET.lists(), key=lambda item: item[0])  # Repeated values keep their order.
    url = f"{request.build_absolute_uri(request.path)}?{urlencode(params, doseq=True)}"
    accept = request.headers.get("Accept", "") if request.path.startswith(API_PREFIX) else ""
    digest = hashlib.sha256(f"{url}\n{accept}".encode()).hexdigest()  # A long query string makes no long key.
    return f"pagecache:{gen}:{digest}"


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD") or request.path.startswith(EXCLUDED_PREFIXES):
        return False
    if "Authorization" in request.headers or "messages" in request.COOKIES:
        return False
    # A session with anything in it (a signed-in user); an expired or unknown one is no session.
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.keys():
        return False
    return True


def is_storable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "session", None) and request.session.modified:
        return False
    if get_nonce(request):  # A CSP nonce in the body matches only this response's header.
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    directives = {part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return not directives & UNCACHEABLE_DIRECTIVES


def is_throttled(request):
    """Whether the API view at this address would throttle the request (a passed throttle counts it)."""
    try:
        view_class = getattr(resolve(request.path_info).func, "cls", None)
    except Resolver404:
        return False
    throttles = [throttle() for throttle in getattr(view_class, "throttle_classes", ())]
    return not all([throttle.allow_request(request, None) for throttle in throttles])


class PageCacheMiddleware:
    """Serve and store whole responses for anonymous readers; see the module docstring for the rules.

    It sits last in MIDDLEWARE, after authentication: a hit skips only the view, and
    the middlewares above it still add their headers to the cached response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response = self.get_response(request)
            # A catch-all for writes that send no signal (queryset.update() in an admin
            # action): only signed-in users' writes, so anonymous POSTs can't flush the cache.
            if response.status_code < 400 and request.user.is_authenticated:
                bump_generation()
            return response
        if not seconds or not is_cacheable_request(request):
            return self.get_response(request)

        gen = generation()
        if gen is None:  # The cache is unreachable (lenrnews/cache_backends.py): serve the page uncached.
            return self.get_response(request)
        key = page_key(request, gen)
        entry = cache.get(key)
        if entry is not None and entry[0] > time.time():
            if not (request.path.startswith(API_PREFIX) and is_throttled(request)):
                return self.cached_response(entry)

        response = self.get_response(request)
        if is_storable(request, response):
            now = time.time()
            ttl = min(seconds, next_publication(gen) - now)
            if ttl >= 1:
                headers = [(name, value) for name, value in response.items()]
                cache.set(key, (now + ttl, response.status_code, headers, response.content), timeout=math.ceil(ttl))
        response["X-Cache"] = "miss"
        return response

    @staticmethod
    def cached_response(entry):
        _expires_at, status, headers, content = entry
        response = HttpResponse(content, status=status, headers=dict(headers))
        response["X-Cache"] = "hit"
        return response
