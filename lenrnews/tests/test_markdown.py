"""Markdown bodies are shown to readers as HTML: nothing an author types may run there."""

import html
import re
from html.parser import HTMLParser

import pytest

from lenrnews.markdown import render_markdown, sanitize_html

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "object", "embed", "svg", "math", "style", "link", "meta", "base",
    "form", "input", "button", "textarea", "template", "noscript", "video", "audio", "source",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "srcset", "background", "poster"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(output):
    """No tag that can run or embed anything, no event handler, no URL outside http/https/mailto."""
    parser = _Collector()
    parser.feed(output)
    for tag, attrs in parser.tags:
        assert tag not in DANGEROUS_TAGS, output
        for name, value in attrs:
            assert not name.startswith("on"), output
            assert name != "style", output
            if name in URL_ATTRIBUTES and value:
                # Browsers ignore whitespace and control characters inside a scheme.
                url = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                scheme = url.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.\-]*:", url) else None
                assert scheme is None or scheme in SAFE_SCHEMES, output


MARKDOWN_PAYLOADS = [
    "<script>alert(1)</script>",
    "Hello <script src=https://evil.example/x.js></script> world",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;vascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=javascript:alert(1)></object>",
    '[x](https://example.org "title" onmouseover="alert(1)")',
    "`<script>alert(1)</script>`",
]


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_markdown_payloads_come_out_inert(payload):
    assert_inert(render_markdown(payload))


def test_raw_html_in_markdown_is_shown_as_text_not_run():
    output = render_markdown('<script>alert("x")</script>')
    assert "<script" not in output
    assert "&lt;script&gt;" in output


def test_javascript_links_lose_their_link():
    output = render_markdown("[click](JaVaScRiPt:alert(1))")
    assert "href" not in output


SANITIZER_PAYLOADS = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+">',
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)" onmouseover="alert(1)">x</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<script>alert(1)</script>",
    "<svg onload=alert(1)><use href='data:image/svg+xml,&lt;svg id=x onload=alert(1)&gt;'/></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]


@pytest.mark.parametrize("payload", SANITIZER_PAYLOADS)
def test_the_sanitizer_makes_raw_html_inert(payload):
    """The renderer escapes raw HTML; the sanitizer is the second wall if that ever changes."""
    assert_inert(sanitize_html(payload))


def test_ordinary_markdown_survives_with_safe_links():
    output = render_markdown("**Bold** and [a link](https://example.org) and <https://example.org/auto>")
    assert "<strong>Bold</strong>" in output
    assert 'href="https://example.org"' in output
    assert 'rel="nofollow noopener noreferrer"' in output
    assert 'href="https://example.org/auto"' in output


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
