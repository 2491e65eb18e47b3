"""A reader's journey in a real browser: Debian's Chromium driven by Playwright
against a live server.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

import pytest

from investments.tests.story import build_story
from lenrnews.tests.browser_support import assert_no_sideways_scroll
from organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_reader_filters_organizations_and_follows_a_deal(live_server, open_page, width):
    from playwright.sync_api import expect

    build_story()
    OrganizationFactory(name="Brillouin Energy", slug="brillouin", kind="company", country="US")
    OrganizationFactory(name="Jet Energy", slug="jet-energy", kind="company", country="US")
    page = open_page(width)
    narrow = width < 400

    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Industrial Heat transfers LENR technology to China")).to_be_visible()
    if narrow:
        assert_no_sideways_scroll(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organizations")
    if narrow:
        assert_no_sideways_scroll(page)

    expect(page.locator("details.filters__details")).to_have_attribute("open", "")
    page.get_by_label("Country", exact=True).select_option("US")
    page.get_by_role("checkbox", name="Company").check()
    page.get_by_role("button", name="Apply filters").click()

    assert "country=US" in page.url and "kind=company" in page.url
    assert "q=" not in page.url  # empty controls are dropped from the shareable address
    results = page.locator(".results")
    expect(results.get_by_role("status")).to_contain_text("3 organizations match your filters")
    expect(results.get_by_role("link", name="Cherokee Investment Partners")).to_have_count(0)
    expect(results.get_by_role("link", name="Baishishan International Innovation Park")).to_have_count(0)
    expect(page.get_by_role("link", name="Remove filter Kind: Company")).to_be_visible()
    if narrow:
        assert_no_sideways_scroll(page)

    results.get_by_role("link", name="Industrial Heat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Industrial Heat")
    portfolio = page.get_by_role("region", name="Technology portfolio")
    expect(portfolio.get_by_role("link", name="E-Cat", exact=True)).to_be_visible()
    expect(portfolio).to_contain_text("Owner")
    deals = page.get_by_role("region", name="Deals made")
    deal_card = deals.locator("article", has_text="Industrial Heat joins Baishishan park")
    expect(deal_card.locator(".badge")).to_have_text("? rumored")
    if narrow:
        assert_no_sideways_scroll(page)

    deal_card.get_by_role("link", name="Industrial Heat joins Baishishan park").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Industrial Heat joins Baishishan park")
    expect(page.get_by_role("region", name="Sources")).to_contain_text("Came through: Vortex-L -> E-Cat World")
    if narrow:
        assert_no_sideways_scroll(page)

    assert page.errors == []


def test_every_page_fits_a_phone_without_console_errors(live_server, open_page):
    story = build_story()
    page = open_page(375)
    for path in [
        "/",
        "/articles/",
        story["article"].get_absolute_url(),
        "/topics/business/",
        "/organizations/?country=US&country=CN&kind=company&kind=technology_park",
        "/technologies/",
        "/technologies/e-cat/",
        "/people/",
        "/people/tom-darden/",
        "/investments/",
        story["funding"].get_absolute_url(),
        "/organizations/?founded_min=abc",
    ]:
        page.goto(live_server.url + path)
        assert_no_sideways_scroll(page)
    # The one deliberate 400 shows in the console as a failed load, nothing else may.
    assert all("status of 400" in error for error in page.errors), page.errors
