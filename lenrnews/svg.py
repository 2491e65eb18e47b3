"""Server-rendered SVG for charts, timelines and graphs: safe, accessible, styled by class.

Every chart of the site is an inline ``<svg>`` built here with the standard library's
ElementTree, whose serializer escapes every text and attribute value: no name an editor
types can close a tag or an attribute. Each SVG carries ``role="img"`` (``"group"`` when it
holds links), a ``<title>`` and a ``<desc>`` it is labelled by, and draws with CSS classes and presentation attributes
only (no ``style`` attribute, no ``<style>``, no script), so the Content-Security-Policy
lets it through, ``static/css/site.css`` colours it in light and dark mode, and a page
holding it stays cacheable. Claims that are not established (rumored, disputed, denied)
are filled with a hatching ``<pattern>`` defined in the SVG itself, as cards are hatched.
"""

import math
from decimal import Decimal
from xml.etree import ElementTree

from django.utils.safestring import SafeString, mark_safe

from .models import Confidence

SVG_NS = "http://www.w3.org/2000/svg"
UNCERTAIN_LEVELS = (Confidence.RUMORED, Confidence.DISPUTED, Confidence.DENIED)


def _number(value) -> str:
    """Coordinates with at most one decimal: smaller markup, same drawing."""
    if isinstance(value, str):
        return value
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _attributes(attrs) -> dict[str, str]:
    """Keyword arguments as SVG attributes: ``class_`` is ``class``, ``stroke_width`` is ``stroke-width``."""
    out = {}
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        out[name] = _number(value) if isinstance(value, int | float | Decimal) else str(value)
    return out


class Svg:
    """One SVG document under construction.

    ``id`` must be unique on the page: the title, the description and the hatching
    patterns are named after it, so two charts on a page never share an id.
    """

    def __init__(self, *, id: str, width: float, height: float, title: str, description: str, css_class: str):
        self.id = id
        self.width, self.height = width, height
        self.root = ElementTree.Element(
            "svg",
            _attributes(
                {
                    "xmlns": SVG_NS,
                    "id": id,
                    "class": f"chart-svg {css_class}",
                    "viewBox": f"0 0 {_number(width)} {_number(height)}",
                    "width": width,
                    "height": height,
                    "role": "img",
                    "aria-labelledby": f"{id}-title {id}-desc",
                    "focusable": "false",
                }
            ),
        )
        ElementTree.SubElement(self.root, "title", {"id": f"{id}-title"}).text = title
        ElementTree.SubElement(self.root, "desc", {"id": f"{id}-desc"}).text = description
        self.defs = ElementTree.SubElement(self.root, "defs")
        self._patterns: dict[str, str] = {}

    def add(self, parent, tag, text=None, **attrs):
        """A child element of ``parent`` (None: the root), its text escaped when written."""
        element = ElementTree.SubElement(self.root if parent is None else parent, tag, _attributes(attrs))
        if text is not None:
            element.text = str(text)
        return element

    def group(self, parent=None, **attrs):
        return self.add(parent, "g", **attrs)

    def link(self, parent, href, label):
        """A link around what is drawn next, with ``label`` as its tooltip and its accessible name."""
        anchor = self.add(parent, "a", href=href, class_="chart-link")
        self.add(anchor, "title", label)
        return anchor

    def hatch(self, level: str) -> str:
        """``url(#...)`` of the hatching of a confidence level, defined once in this SVG."""
        if level not in self._patterns:
            pattern_id = f"{self.id}-hatch-{level}"
            pattern = self.add(
                self.defs,
                "pattern",
                id=pattern_id,
                width=6,
                height=6,
                patternUnits="userSpaceOnUse",
                patternTransform="rotate(45)",
            )
            self.add(pattern, "rect", width=6, height=6, class_=f"hatch-ground hatch-ground--{level}")
            self.add(pattern, "line", x1=0, y1=0, x2=0, y2=6, class_=f"hatch-line hatch-line--{level}")
            self._patterns[level] = f"url(#{pattern_id})"
        return self._patterns[level]

    def fill_for(self, level: str) -> str | None:
        """The ``fill`` attribute of a shape at this confidence level: a hatching when not established."""
        return self.hatch(level) if level in UNCERTAIN_LEVELS else None

    def render(self) -> SafeString:
        if not len(self.defs):
            self.root.remove(self.defs)
        if self.root.find(".//a") is not None:
            # An image's children are presentational: links inside one are unreachable to
            # assistive technology (axe: nested-interactive). A labelled group keeps both.
            self.root.set("role", "group")
        markup = ElementTree.tostring(self.root, encoding="unicode", short_empty_elements=True)
        return mark_safe(markup)  # noqa: S308 - every text and attribute was escaped by ElementTree


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least ``maximum``: 0, 20, 40... or 0, 250, 500... (Heckbert's nice numbers)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(n * magnitude for n in (1, 2, 2.5, 5, 10) if n * magnitude >= raw)
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(round(top / step) + 1)]


def short_money(value) -> str:
    """'0', '250K', '1.5M', '2B': an axis label in US dollars."""
    value = float(value)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{value:.0f}"


def truncate(text: str, length: int) -> str:
    """A label cut to ``length`` characters with an ellipsis (the full name stays in the title)."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
