"""A Redis cache that a Redis outage cannot take the site down with.

Django's ``RedisCache`` raises when Redis refuses a connection and waits five seconds
on one that hangs; every request that touches the cache (page cache, throttles, the
content signals inside a write's transaction) then fails. ``ResilientRedisCache``
answers as an empty cache that stores nothing instead:

- A command gets ``socket_timeout`` (the settings give 0.1 s) to answer. The first
  refused or timed-out command opens a *circuit*: for ``CIRCUIT_COOLDOWN`` seconds no
  thread of the process asks Redis anything, then one request tries again. A hung
  Redis so costs one request about 100 ms per cool-off, not every request.
- While it is open, reads miss (``get`` answers its default, ``incr`` raises
  ``ValueError`` as for a missing key), writes are dropped, and the outage is logged
  once (``lenrnews.cache``), with another line when Redis answers again.
- No stale value comes back: a key whose write (``set``, ``delete``, ``incr``...) was
  dropped is deleted as soon as Redis answers again, before anything else is asked.
  The page cache's generation is such a key, so a page cached before a write that
  happened during the outage is never served after it. Past ``MAX_LOST_KEYS`` keys the
  whole cache is cleared instead.

The circuit is per process (shared by its threads), keyed by the cache's location.
It is written here rather than taken from pybreaker, whose breaker holds one lock
around every guarded call and would serialize a threaded server's cache traffic.
"""

import logging
import threading
from time import monotonic
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis import exceptions as redis_exceptions

logger = logging.getLogger("lenrnews.cache")

OUTAGE_ERRORS = (redis_exceptions.ConnectionError, redis_exceptions.TimeoutError)
DEFAULT_COOLDOWN = 30
MAX_LOST_KEYS = 1000
_UNAVAILABLE = object()


class Circuit:
    """Whether a process still asks a cache server, and which of its writes the server missed."""

    def __init__(self, name, cooldown):
        self.name = name
        self.cooldown = cooldown
        self._lock = threading.Lock()
        self._retry_at = None  # None while closed: every call goes through.
        self._lost_keys = set()
        self._lost_everything = False

    def may_answer(self):
        """Closed, or open with its cool-off over (without taking the trial)."""
        return self._retry_at is None or monotonic() >= self._retry_at

    def allows_call(self):
        """Closed, or open with its cool-off over: then this caller is the one trial until the next cool-off."""
        if self._retry_at is None:
            return True
        now = monotonic()
        if now < self._retry_at:
            return False
        with self._lock:
            if self._retry_at is None:
                return True
            if now < self._retry_at:
                return False
            self._retry_at = now + self.cooldown
            return True

    def record_failure(self, error):
        with self._lock:
            was_closed = self._retry_at is None
            self._retry_at = monotonic() + self.cooldown
        if was_closed:
            logger.error(
                "Cache %s is unreachable (%s: %s); serving without it, next try in %s s.",
                self.name,
                type(error).__name__,
                error,
                self.cooldown,
            )
        else:
            logger.warning("Cache %s is still unreachable (%s); next try in %s s.", self.name, error, self.cooldown)

    def record_success(self):
        if self._retry_at is None:
            return
        with self._lock:
            self._retry_at = None
        logger.warning("Cache %s answers again.", self.name)

    @property
    def has_lost_writes(self):
        return bool(self._lost_keys) or self._lost_everything

    def lose(self, keys):
        """Remember keys whose write the server missed; ``True`` means every key (a missed ``clear``)."""
        if not keys:
            return
        with self._lock:
            if self._lost_everything:
                return
            if keys is True or len(self._lost_keys) + len(keys) > MAX_LOST_KEYS:
                self._lost_keys, self._lost_everything = set(), True
            else:
                self._lost_keys.update(keys)

    def take_lost_writes(self):
        """The keys to delete (or ``True``: clear everything) before trusting the server again; forgets them."""
        with self._lock:
            lost = True if self._lost_everything else self._lost_keys
            self._lost_keys, self._lost_everything = set(), False
        return lost


_circuits: dict[str, "Circuit"] = {}
_circuits_lock = threading.Lock()


def circuit_for(name, cooldown):
    """The process's one circuit for a cache location (Django makes a backend per thread)."""
    with _circuits_lock:
        circuit = _circuits.get(name)
        if circuit is None:
            circuit = _circuits[name] = Circuit(name, cooldown)
        return circuit


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is refused or hung (module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        name = ", ".join(_without_credentials(server) for server in self._servers)
        self.circuit = circuit_for(name, params.get("CIRCUIT_COOLDOWN", DEFAULT_COOLDOWN))

    def is_available(self):
        """False while the circuit is open: callers with a fallback of their own (the throttles) use it."""
        return self.circuit.may_answer()

    def _guarded(self, call, fallback, lost_keys=()):
        """``call()``'s result, or ``fallback`` when Redis is refused, hung or not asked during a cool-off."""
        if not self.circuit.allows_call():
            self.circuit.lose(lost_keys)
            return fallback
        try:
            self._replay_lost_writes()
            result = call()
        except OUTAGE_ERRORS as error:
            self.circuit.record_failure(error)
            self.circuit.lose(lost_keys)
            return fallback
        except BaseException:
            self.circuit.record_success()  # Redis answered, with an error of the caller's.
            raise
        self.circuit.record_success()
        return result

    def _replay_lost_writes(self):
        if not self.circuit.has_lost_writes:
            return
        lost = self.circuit.take_lost_writes()
        if not lost:  # Another thread took them first.
            return
        try:
            if lost is True:
                self._cache.clear()
            else:
                self._cache.delete_many(list(lost))
        except OUTAGE_ERRORS:
            self.circuit.lose(lost)
            raise
        logger.warning("Cache %s: deleted %s that the outage left stale.", self.circuit.name, _describe(lost))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guarded(lambda: parent.add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        parent = super()
        return self._guarded(lambda: parent.get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guarded(lambda: parent.set(key, value, timeout, version), None, [self.make_key(key, version)])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guarded(lambda: parent.touch(key, timeout, version), False)

    def delete(self, key, version=None):
        parent = super()
        return self._guarded(lambda: parent.delete(key, version), False, [self.make_key(key, version)])

    def get_many(self, keys, version=None):
        parent = super()
        return self._guarded(lambda: parent.get_many(keys, version), {})

    def has_key(self, key, version=None):
        parent = super()
        return self._guarded(lambda: parent.has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        parent = super()
        result = self._guarded(lambda: parent.incr(key, delta, version), _UNAVAILABLE, [self.make_key(key, version)])
        if result is _UNAVAILABLE:
            raise ValueError(f"Key {key!r} cannot be incremented: the cache is unavailable.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        lost = [self.make_key(key, version) for key in data]
        return self._guarded(lambda: parent.set_many(data, timeout, version), list(data), lost)

    def delete_many(self, keys, version=None):
        parent = super()
        lost = [self.make_key(key, version) for key in keys]
        return self._guarded(lambda: parent.delete_many(keys, version), None, lost)

    def clear(self):
        parent = super()
        return self._guarded(parent.clear, False, True)


def _without_credentials(url):
    """The server's address as logs may show it: redis://host:port/db, without a password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host).geturl()


def _describe(lost):
    return "every key (too many writes were lost)" if lost is True else f"{len(lost)} key(s)"
