"""The map of where the listed organizations are based: one shape per country, shaded by count.

The country outlines come from pygal_maps_world (its ``worldmap.svg``), turned once by
``manage.py build_world_map`` into ``static/maps/world.svg``: one ``<g id>`` per ISO 3166
alpha-2 code, with no styles of its own. A page draws a small inline SVG that ``<use>``s
those shapes (so the page stays light and the outlines are cached by the browser), each
country a link that filters the listing by it, with its count in a ``<title>``; the same
counts are in a table beside it for readers who do not see the map.
"""

import re
from pathlib import Path

from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django_countries import countries

STATIC_PATH = Path(__file__).resolve().parent.parent / "static" / "maps" / "world.svg"
VIEW_BOX = "0 0 2475 1388"
# Shades of the choropleth: a country's count against the largest, in this many steps.
LEVELS = 5


def source_svg() -> str:
    import pygal_maps_world

    return Path(pygal_maps_world.__file__).with_name("worldmap.svg").read_text()


def build_world_svg(source: str) -> str:
    """The static outlines file: one group per country code, coordinates to one decimal."""
    found = re.search(r'viewBox="([^"]+)"', source)
    view_box = found.group(1) if found else VIEW_BOX
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">',
        "<!-- Country outlines from pygal_maps_world (LGPL-3.0); made by manage.py build_world_map. -->",
    ]
    lines.append('<g id="world">')
    for code, body in re.findall(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', source, re.S):
        paths = "".join(f'<path d="{_rounded(d)}"/>' for d in re.findall(r'd="([^"]+)"', body))
        lines.append(f'<g id="{code}">{paths}</g>')
    lines += ["</g>", "</svg>"]
    return "\n".join(lines) + "\n"


def _rounded(path):
    return re.sub(r"(\d+\.\d)\d+", r"\1", path)


def mapped_codes() -> set[str]:
    return set(re.findall(r'<g id="([a-z]{2})">', STATIC_PATH.read_text()))


def level(count, largest):
    return 0 if not count else max(1, round(LEVELS * count / largest))


def country_map(counts: dict[str, int], link, noun="organizations", title="Where they are based"):
    """The inline SVG map: ``counts`` by country code, ``link(code)`` the address that filters by it."""
    outlines = static("maps/world.svg")
    largest = max(counts.values(), default=0)
    shapes = format_html_join(
        "",
        '<a href="{}" class="map__country map__country--{}"><title>{}: {} {}</title><use href="{}#{}"/></a>',
        (
            (link(code), level(count, largest), countries.name(code) or code, count, noun, outlines, code.lower())
            for code, count in sorted(counts.items())
            if count
        ),
    )
    described = ", ".join(f"{countries.name(c) or c} {n}" for c, n in sorted(counts.items(), key=lambda i: -i[1]) if n)
    return format_html(
        '<svg class="map" viewBox="{}" role="group" aria-labelledby="map-title" aria-describedby="map-desc">'
        '<title id="map-title">{}</title><desc id="map-desc">{} by country: {}.</desc>'
        '<use href="{}#world" class="map__world"/>{}</svg>',
        VIEW_BOX,
        title,
        noun.capitalize(),
        described or "none",
        outlines,
        shapes,
    )
