"""Uncertain claims look uncertain in a real browser, side boxes included, and the
current/former parts of an organization's page fit a phone.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from investments.models import Event, EventOrganization
from lenrnews.models import Confidence
from lenrnews.tests.browser_support import assert_no_sideways_scroll
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def _rule_start(css, selector):
    match = re.search(rf"(^|\n){re.escape(selector)}\s*\{{", css)
    assert match, f"no rule for {selector}"
    return match.start()


def test_the_uncertain_side_box_rule_comes_after_the_side_box_rule():
    """``.side-box`` resets border and background (shorthands): the hatching must come later to survive."""
    css = SITE_CSS.read_text()

    uncertain_box = _rule_start(css, ".side-box.claim--uncertain")

    assert _rule_start(css, ".side-box") < uncertain_box
    assert _rule_start(css, ".claim--uncertain") < uncertain_box
    body = css[uncertain_box : css.index("}", uncertain_box)]
    assert "repeating-linear-gradient" in body and "dashed" in body


@pytest.mark.browser
def test_an_uncertain_side_box_is_hatched_and_a_sure_one_is_not(open_page):
    page = open_page(1280)
    page.set_content(
        '<div class="side-box claim--uncertain" id="unsure"><h2>The deal</h2></div>'
        '<div class="side-box" id="sure"><h2>The deal</h2></div>'
    )
    page.add_style_tag(content=SITE_CSS.read_text())

    def style(element_id):
        return page.evaluate(
            """id => { const s = getComputedStyle(document.getElementById(id));
                return {image: s.backgroundImage, left: s.borderLeftStyle, width: s.borderLeftWidth}; }""",
            element_id,
        )

    unsure, sure = style("unsure"), style("sure")
    assert "repeating-linear-gradient" in unsure["image"]
    assert unsure["left"] == "dashed" and unsure["width"] == "4px"
    assert sure["image"] == "none" and sure["left"] == "solid"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_organization_page_with_former_stakes_and_events_fits_the_screen(live_server, open_page, width):
    from playwright.sync_api import expect

    organization = OrganizationFactory(name="Heat Co", slug="heat-co", founded=2012, city="Raleigh, North Carolina")
    TechnologyStakeFactory(
        organization=organization,
        technology=TechnologyFactory(name="E-Cat"),
        kind="licensee",
        since=datetime.date(2012, 1, 1),
        since_precision="year",
        until=datetime.date(2017, 1, 1),
        until_precision="year",
    )
    TechnologyStakeFactory(
        organization=organization, technology=TechnologyFactory(name="QX"), confidence=Confidence.DISPUTED
    )
    AffiliationFactory(organization=organization, end_unknown=True)
    event = Event.objects.create(
        title="Licence terminated by the licensor after a long dispute over test results",
        kind=Event.Kind.LICENSE_TERMINATED,
        occurred_on=datetime.date(2017, 7, 1),
        date_precision="month",
        confidence=Confidence.RUMORED,
    )
    EventOrganization.objects.create(event=event, organization=organization)
    page = open_page(width)

    page.goto(live_server.url + "/organizations/heat-co/")

    portfolio = page.get_by_role("region", name="Technology portfolio")
    expect(portfolio.get_by_role("table", name="Former stakes")).to_contain_text("Licensee, 2012 to 2017")
    disputed = portfolio.get_by_role("table", name="Current stakes").get_by_role("row", name=re.compile("QX"))
    assert "repeating-linear-gradient" in disputed.evaluate("row => getComputedStyle(row).backgroundImage")
    events = page.get_by_role("region", name="Events")
    expect(events.get_by_role("link", name=re.compile("Licence terminated"))).to_be_visible()
    expect(page.get_by_role("region", name="People")).to_contain_text("ended, date unknown")
    assert_no_sideways_scroll(page)
    assert page.errors == []
