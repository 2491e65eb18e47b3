"""The charts in a real browser, with and without JavaScript, wide and narrow: drawn, readable, no errors
(the Content-Security-Policy reports what it refuses as console errors), no sideways scroll."""

import pytest

from investments.tests.story import build_story
from lenrnews.tests.browser_support import assert_no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("width", [1280, 375])
def test_charts_render_with_and_without_javascript(live_server, browser, width, javascript):
    from playwright.sync_api import expect

    build_story()
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(live_server.url + "/investments/")
        chart = page.locator("svg.money-chart")
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] > 200
        expect(page.get_by_role("group", name="Disclosed US dollars per year")).to_be_visible()
        expect(
            page.get_by_role("region", name="The figures of “Disclosed US dollars per year”, in US dollars")
        ).to_be_visible()
        assert_no_sideways_scroll(page)

        page.goto(live_server.url + "/organizations/industrial-heat/")
        for name in ("Timeline of Industrial Heat", "Network of Industrial Heat"):
            expect(page.get_by_role("group", name=name)).to_be_visible()
        assert_no_sideways_scroll(page)
        controls = page.get_by_role("button", name="Zoom in")
        if javascript:
            expect(controls).to_be_visible()
            viewbox = page.locator("svg.network-chart").get_attribute("viewBox")
            controls.click()
            assert page.locator("svg.network-chart").get_attribute("viewBox") != viewbox
            page.get_by_role("button", name="Show the whole network").click()
            assert page.locator("svg.network-chart").get_attribute("viewBox") == viewbox
            page.locator("svg.network-chart a").first.hover()
            expect(page.locator(".chart-tip:not([hidden])")).to_have_count(1)
        else:
            expect(controls).to_have_count(0)
        page.get_by_role("group", name="Network of Industrial Heat").locator("a[href='/technologies/e-cat/']").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("E-Cat")
        assert errors == []
    finally:
        context.close()
