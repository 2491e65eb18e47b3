"""Settings for the test suite: the site's own settings, made fast and predictable.

``pytest`` loads this module (``DJANGO_SETTINGS_MODULE`` in pyproject.toml), whether
run by hand, by an IDE or by ``make test``; the site itself never does.
"""

import tempfile
from pathlib import Path

from lenrnews.settings import *  # noqa: F403
from lenrnews.settings import REST_FRAMEWORK, STORAGES

# The production hasher takes a good part of a second per password, and every article a
# factory makes has an author with a password.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Off whatever the environment says; the cache's own tests (lenrnews/tests/test_page_cache.py) turn it on.
PAGE_CACHE_SECONDS = 0

# Tests run thousands of requests (schemathesis); the throttling tests set their own rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}

# Plain files: collectstatic (which writes the manifest) never runs for the tests.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Background tasks run at once, inside the test (DEBUG may be off in a test's environment).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Schemathesis sends thousands of generated tokens; the lockout tests set their own rate.
API_TOKEN_FAILURES = "100000/hour"

# Uploaded images go to a folder of the test run's own, removed with the machine's temp files.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lenrnews-media-"))
