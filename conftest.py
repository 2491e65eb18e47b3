"""Fixtures shared by every app's tests. Helpers to import live in lenrnews/tests/ (api_support.py,
admin_forms.py, query_counts.py, seed.py) and investments/tests/story.py, never here."""

import os
from pathlib import Path

import factory.random
import pytest

from investments.tests.story import build_story
from lenrnews.tests import api_support
from lenrnews.tests.seed import seed_world


@pytest.fixture(autouse=True)
def _same_fake_text():
    """Factories' fake words are the same for a test whatever ran before it (on whichever worker):
    a search test must not pass or fail with the random words ("industry") of another row."""
    factory.random.reseed_random("lenrnews")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (throttles, cached fragments)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """The seed article's small world (lenrnews/tests/seed.py): a namespace of its rows."""
    return seed_world()


@pytest.fixture
def story(db):
    """The seed article's story (investments/tests/story.py): its rows by name."""
    return build_story()


@pytest.fixture
def writer(db):
    return api_support.writer()


@pytest.fixture
def editor(db):
    return api_support.editor()


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, for the browser tests of one module.

    Skipped when it is missing, unless REQUIRE_BROWSER=1 (CI), where that is a failure.
    """
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium, or set REQUIRE_BROWSER=1 to fail)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which makes Django
    # refuse database access from the test's fixtures; allow it for these tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser):
    """A new page of the given width that records console errors and page errors."""
    contexts = []

    def _open(width):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield _open
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(items):
    """Give each operation's schemathesis test a node id of its own (schemathesis gives them all the function's).

    pytest-xdist tells tests apart by node id: with one id for 24 operations, it would run one of them,
    and a failure's report would not say which operation failed.
    """
    for item in items:
        if item.name.endswith("]") and not item.nodeid.endswith("]"):
            item._id = item._id.with_params(item.name.split("[", 1)[1].removesuffix("]"))
