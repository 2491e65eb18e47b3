"""Markdown to safe HTML: CommonMark rendering, then an allow-list sanitizer.

Raw HTML in the source is escaped by the renderer and whatever gets through is
cleaned by nh3 (ammonia), which keeps only the tags and attributes listed here
and only http, https and mailto links.
"""

import html as html_entities
import math
import re

import nh3
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def render_markdown(text):
    """The sanitized HTML of a Markdown text (safe to mark_safe)."""
    if not text:
        return ""
    return sanitize_html(_renderer.render(text))


WORDS_PER_MINUTE = 230  # an adult reading news on a screen
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def reading_stats(html):
    """(words, minutes to read) of rendered HTML: the words a reader sees, not the markup or link targets."""
    text = html_entities.unescape(nh3.clean(html, tags=set()))
    words = len(_WORD.findall(text))
    return words, math.ceil(words / WORDS_PER_MINUTE)


def reading_stats_display(words, minutes):
    """'1 word', '420 words · 2 min read': how the editor reads the counts."""
    text = f"{words} word{'' if words == 1 else 's'}"
    return f"{text} · {minutes} min read" if words else text
