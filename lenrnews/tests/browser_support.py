"""Helpers for the browser tests (the browser and open_page fixtures are in conftest.py)."""


def assert_no_sideways_scroll(page):
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width, f"{page.url} scrolls sideways: {scroll_width} > {client_width}"
