"""axe-core, run in Chromium over the main pages at a desktop and a phone width, finds no serious violation."""

from pathlib import Path

import pytest

from investments.tests.story import build_story

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def axe_script():
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def main_pages():
    pages = ["/", "/articles/", "/organizations/?kind=company", "/technologies/", "/people/", "/investments/",
             "/events/", "/topics/", "/search/?q=heat", "/corrections/"]  # fmt: skip
    from investments.models import Event, Investment
    from organizations.models import Organization, Person, Technology

    for model in (Organization, Person, Technology, Investment, Event):
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages.append(first.get_absolute_url())
    return pages


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_serious_violation(live_server, browser, width):
    import io

    from django.core.management import call_command

    build_story()
    call_command("load_demo", stdout=io.StringIO())
    pages = main_pages()
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    script = axe_script()
    problems = []
    try:
        for url in pages:
            page.goto(live_server.url + url)
            page.add_script_tag(content=script)
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            for violation in result["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    problems.append((url, violation["id"], violation["help"], targets))
    finally:
        context.close()
    assert problems == []
