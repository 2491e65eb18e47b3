"""A reader searching in a real browser."""

import pytest

from lenrnews.tests.browser_support import assert_no_sideways_scroll
from lenrnews.tests.seed import seed_world

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_reader_searches_from_the_header_and_opens_the_listing(live_server, open_page, width):
    from playwright.sync_api import expect

    seed_world()
    page = open_page(width)
    page.goto(live_server.url + "/")
    page.get_by_role("search").first.get_by_label("Search the site").fill("Baishishan")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("status").first).to_contain_text("3 results for Baishishan")
    for heading in ["Articles (1)", "Organizations (1)", "Deals (1)"]:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("mark", has_text="Baishishan").first).to_be_visible()
    expect(page.get_by_text("secret")).to_have_count(0)
    if width < 400:
        assert_no_sideways_scroll(page)

    page.get_by_role("link", name="See it in the organization listing").click()
    assert page.url.endswith("/organizations/?q=Baishishan")
    expect(page.get_by_role("link", name="Baishishan International Innovation Park", exact=False).first).to_be_visible()
    assert page.errors == []
