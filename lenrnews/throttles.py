"""The API's rate limits for anonymous and authenticated clients (rates in settings, from the environment)."""

from rest_framework import exceptions, throttling
from rest_framework.settings import api_settings


class _RatesFromSettings:
    """DRF's throttles read their rates once, at import; these read them per request, so tests can change them."""

    def get_rate(self):
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None:
            raise exceptions.ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.")
        return rate


class AnonRateThrottle(_RatesFromSettings, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_RatesFromSettings, throttling.UserRateThrottle):
    pass
