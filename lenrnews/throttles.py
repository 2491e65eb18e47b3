"""The API's rate limits for anonymous and authenticated clients (rates in settings, from the environment).

A client is told apart by its address: ``REMOTE_ADDR``, or with ``TRUSTED_PROXIES`` set
(DRF's ``NUM_PROXIES``) the address that many hops from the end of ``X-Forwarded-For``,
the one the nearest trusted proxy saw. Anything a client writes into the header before
that is ignored, so a forged header buys no fresh identity.

The request counts live in the shared cache. While it is unreachable (the Redis
circuit of ``lenrnews/cache_backends.py`` is open), each process counts in its own
memory instead: the limit still holds per process rather than vanishing.
"""

from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework import exceptions, throttling
from rest_framework.settings import api_settings

local_cache = LocMemCache("throttle-fallback", {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 10000}})


class _RatesFromSettings:
    """Rates read per request (DRF reads them once, at import), counts in the shared cache while it answers."""

    @property
    def cache(self):
        is_available = getattr(shared_cache, "is_available", None)
        return shared_cache if is_available is None or is_available() else local_cache

    def get_rate(self):
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None:
            raise exceptions.ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.")
        return rate


class AnonRateThrottle(_RatesFromSettings, throttling.AnonRateThrottle):  # type: ignore[override]  # cache is chosen per request
    pass


class UserRateThrottle(_RatesFromSettings, throttling.UserRateThrottle):  # type: ignore[override]
    pass
