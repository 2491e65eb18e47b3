"""The Content-Security-Policy in a real browser: the admin and the API docs keep working under it.

Debian's Chromium through Playwright against a live server; a violation is caught twice,
as the console error Chromium prints and as the ``securitypolicyviolation`` event the
page fires (recorded by a script injected through the browser's own channel, which the
policy does not govern).
"""

import pytest

from articles.tests.factories import UserFactory
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def record_console_error(page, message):
    # A failed load is recorded with its address by the response handler; the one the console alone
    # reports is Chromium's own /favicon.ico request on the admin's pages, which name no icon.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.errors.append(message.text)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: record_console_error(page, message))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "response", lambda response: response.status >= 400 and page.errors.append(f"{response.status} {response.url}")
    )
    yield page
    context.close()


def assert_no_violation(page):
    assert page.evaluate("window.cspViolations") == [], page.url
    assert page.errors == [], page.url


def test_the_admin_works_under_the_policy(live_server, page):
    from playwright.sync_api import expect

    UserFactory(username="eddie", is_staff=True, is_superuser=True)
    OrganizationFactory(name="Industrial Heat", kind="company", country="US")
    OrganizationFactory(name="Cherokee Investment Partners", kind="investor", country="US")

    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_label("Username")).to_be_visible()
    assert_no_violation(page)
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    assert_no_violation(page)

    page.goto(f"{live_server.url}/admin/organizations/organization/")
    expect(page.get_by_role("link", name="Industrial Heat")).to_be_visible()
    page.get_by_role("checkbox", name="Select all objects on this page").check()  # The admin's own script runs.
    expect(page.get_by_text("2 of 2 selected")).to_be_visible()
    assert_no_violation(page)

    page.get_by_role("link", name="Industrial Heat").click()
    expect(page.get_by_role("heading", name="Change organization")).to_be_visible()
    assert_no_violation(page)


def test_the_api_docs_render_under_the_policy(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("lenrnews API")
    expect(page.locator(".opblock").first).to_be_visible()  # The operations, read from /api/schema/.
    page.locator(".opblock-summary").first.click()
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()
    assert_no_violation(page)


def test_the_public_pages_load_nothing_the_policy_refuses(live_server, page):
    from playwright.sync_api import expect

    OrganizationFactory(name="Industrial Heat", kind="company", country="US")
    for path in ("/", "/organizations/", "/organizations/?country=US"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main")).to_be_visible()
        assert_no_violation(page)
