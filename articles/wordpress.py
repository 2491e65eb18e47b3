"""A WordPress site's export (WXR) brought into the newsroom: ``manage.py import_wordpress``.

Three steps, each its own function:

- ``read_wxr`` reads the file safely (defusedxml: no entities, no external references),
  refusing a file over ``WORDPRESS_IMPORT_MAX_BYTES`` before parsing it and anything that
  is not a WordPress export with a message that says what it is. Everything is read
  before anything is written.
- ``wordpress_html_to_markdown`` turns a post's HTML into the Markdown our articles are
  written in: WordPress's paragraphs without tags and its shortcodes first, then the
  allow-list sanitizer (scripts, frames, handlers and ``javascript:`` links go), then
  markdownify. Images come from a copy of the site's uploads folder when one is given
  (stored as ``Image`` records by ``lenrnews.media``, checked by their content, as an
  upload in the admin is) and are otherwise kept as links with their alt text: the
  site's Content-Security-Policy shows no image from another host.
- ``wordpress_import`` writes it all in one transaction: posts become articles (matched
  by ``import_key`` on a second run, which changes nothing), categories and tags
  topics, authors author profiles (the staff account's, when one has the same login; no
  login account is ever made), featured images lead images, old addresses ``Redirect``
  rows; mentions are detected in each new article. An error undoes everything, stored
  images included.
"""

import html
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import nh3
from bs4 import BeautifulSoup
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.text import slugify
from markdownify import BACKSLASH, MarkdownConverter

from lenrnews import media
from lenrnews.cache import bump_generation
from lenrnews.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

from .mentions import article_detect_mentions
from .models import Article, ArticleAuthor, Author, Image, Redirect, Topic
from .redirects import normalize_old_path, short_link_path

IMPORT_KEY_PREFIX = "wordpress"
CHANGE_REASON = "Imported from WordPress"
# WordPress's default category: every post without a category has it; it is not a subject.
DEFAULT_CATEGORY = "uncategorized"


class WXRError(Exception):
    """The file is not a WordPress export we can read; the message says why, for the person who gave it."""


# --- Reading the file ----------------------------------------------------------------


@dataclass
class WXRAuthor:
    login: str
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def byline(self) -> str:
        """The name readers knew: the display name, unless WordPress left it the login and a real name is known."""
        full = f"{self.first_name} {self.last_name}".strip()
        if (not self.display_name or self.display_name == self.login) and full:
            return full
        return self.display_name or self.login


@dataclass
class WXRTerm:
    domain: str  # "category" or "post_tag"
    slug: str
    name: str
    description: str = ""


@dataclass
class WXRItem:
    post_id: int
    post_type: str = "post"
    status: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_name: str = ""
    post_date: datetime | None = None
    post_date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    creator: str = ""
    password: str = ""
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, slug, name)
    meta: dict[str, str] = field(default_factory=dict)
    comments: int = 0

    def describe(self) -> str:
        title = self.title.strip() or "(no title)"
        return f"{self.post_type} “{title}” (id {self.post_id})"


@dataclass
class WXRExport:
    name: str
    site_url: str = ""
    authors: dict[str, WXRAuthor] = field(default_factory=dict)
    terms: dict[tuple[str, str], WXRTerm] = field(default_factory=dict)  # (domain, slug) -> term
    items: list[WXRItem] = field(default_factory=list)

    @property
    def site_host(self) -> str:
        host = urlsplit(self.site_url).hostname or ""
        return host.removeprefix("www.")


def _size_display(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


def _sniff(path: Path, name: str) -> None:
    """Refuse, with a message saying what it is instead, a file that cannot be XML."""
    with path.open("rb") as file:
        head = file.read(1024)
    if not head.strip():
        raise WXRError(f"{name} is empty.")
    if head.startswith(b"\x1f\x8b"):
        raise WXRError(f"{name} is gzip-compressed: uncompress it first (gunzip), then import the .xml file.")
    if head.startswith(b"PK\x03\x04"):
        raise WXRError(f"{name} is a zip archive: extract the .xml file from it first.")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"<"):
        start = text[:40].decode("utf-8", errors="replace")
        raise WXRError(f"{name} is not XML: it starts with “{start}”. Export the site with WordPress's Tools > Export.")


def _tag_name(tag: str) -> str:
    """'wp:post_id', 'content:encoded', 'excerpt:encoded', 'dc:creator' or a plain name, whatever the WXR version."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if namespace.startswith("http://wordpress.org/export/"):
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    elif namespace == "http://purl.org/rss/1.0/modules/content/":
        prefix = "content"
    elif namespace == "http://purl.org/dc/elements/1.1/":
        prefix = "dc"
    else:
        prefix = namespace
    return f"{prefix}:{local}"


def _wp_datetime(text: str) -> datetime | None:
    """WordPress's '2015-10-20 14:30:00' as a UTC time; None for its '0000-00-00 00:00:00' (a draft's)."""
    text = (text or "").strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _text(element: Any) -> str:
    return element.text or "" if element is not None else ""


def _read_item(element: Any) -> WXRItem:
    values: dict[str, str] = {}
    item = WXRItem(post_id=0)
    for child in element:
        name = _tag_name(child.tag)
        if name == "category":
            domain, slug = child.get("domain", ""), child.get("nicename", "")
            if domain in ("category", "post_tag"):
                item.terms.append((domain, unquote(slug), html.unescape(_text(child)).strip()))
        elif name == "wp:postmeta":
            key = value = ""
            for part in child:
                if _tag_name(part.tag) == "wp:meta_key":
                    key = _text(part)
                elif _tag_name(part.tag) == "wp:meta_value":
                    value = _text(part)
            if key:
                item.meta[key] = value
        elif name == "wp:comment":
            item.comments += 1
        else:
            values[name] = _text(child)
    try:
        item.post_id = int(values.get("wp:post_id", "").strip())
    except ValueError:
        item.post_id = 0
    item.post_type = values.get("wp:post_type", "post").strip() or "post"
    item.status = values.get("wp:status", "").strip()
    item.title = plain_text(values.get("title", ""))
    item.link = values.get("link", "").strip()
    item.guid = values.get("guid", "").strip()
    item.content = values.get("content:encoded", "")
    item.excerpt = values.get("excerpt:encoded", "")
    item.post_name = unquote(values.get("wp:post_name", "").strip())
    item.post_date = _wp_datetime(values.get("wp:post_date", ""))
    item.post_date_gmt = _wp_datetime(values.get("wp:post_date_gmt", ""))
    item.modified_gmt = _wp_datetime(values.get("wp:post_modified_gmt", ""))
    item.creator = values.get("dc:creator", "").strip()
    item.password = values.get("wp:post_password", "")
    item.attachment_url = values.get("wp:attachment_url", "").strip()
    return item


def _read_author(element: Any) -> WXRAuthor:
    values = {_tag_name(child.tag): _text(child).strip() for child in element}
    return WXRAuthor(
        login=values.get("wp:author_login", ""),
        display_name=html.unescape(values.get("wp:author_display_name", "")),
        first_name=html.unescape(values.get("wp:author_first_name", "")),
        last_name=html.unescape(values.get("wp:author_last_name", "")),
    )


def _read_term(element: Any) -> WXRTerm | None:
    values = {_tag_name(child.tag): _text(child).strip() for child in element}
    match _tag_name(element.tag):
        case "wp:category":
            slug, name, domain = values.get("wp:category_nicename", ""), values.get("wp:cat_name", ""), "category"
        case "wp:tag":
            slug, name, domain = values.get("wp:tag_slug", ""), values.get("wp:tag_name", ""), "post_tag"
        case _:  # wp:term: menus, formats and custom taxonomies too
            domain = values.get("wp:term_taxonomy", "")
            slug, name = values.get("wp:term_slug", ""), values.get("wp:term_name", "")
            if domain not in ("category", "post_tag"):
                return None
    if not slug and not name:
        return None
    return WXRTerm(
        domain=domain,
        slug=unquote(slug),
        name=html.unescape(name),
        description=values.get("wp:category_description", "") or values.get("wp:term_description", ""),
    )


def read_wxr(path: str | os.PathLike[str]) -> WXRExport:
    """Read a WordPress export (WXR) whole, or raise WXRError saying why it cannot be read."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise WXRError(f"{path} is not a file.")
    size = path.stat().st_size
    limit = settings.WORDPRESS_IMPORT_MAX_BYTES
    if size > limit:
        raise WXRError(
            f"{name} is {_size_display(size)}; the import reads files of at most {_size_display(limit)} "
            "(setting WORDPRESS_IMPORT_MAX_BYTES). Export the site in parts (WordPress's Tools > Export takes a "
            "date range), or raise the limit."
        )
    _sniff(path, name)
    export = WXRExport(name=name)
    stack: list[str] = []
    channel_values: dict[str, str] = {}
    seen_wordpress = False
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            tag = _tag_name(element.tag)
            if event == "start":
                if not stack and tag != "rss":
                    raise WXRError(f"{name} is XML but not a WordPress export: its root is <{tag}>, not <rss>.")
                seen_wordpress = seen_wordpress or tag.startswith("wp:")
                stack.append(tag)
                continue
            stack.pop()
            if stack != ["rss", "channel"]:
                continue
            if tag == "item":
                export.items.append(_read_item(element))
            elif tag == "wp:author":
                author = _read_author(element)
                if author.login:
                    export.authors[author.login] = author
            elif tag in ("wp:category", "wp:tag", "wp:term"):
                term = _read_term(element)
                if term is not None:
                    export.terms.setdefault((term.domain, term.slug), term)
            else:
                channel_values[tag] = _text(element).strip()
            element.clear()
    except ParseError as error:
        raise WXRError(
            f"{name} is not well-formed XML ({error}). Is it the whole file WordPress's Tools > Export made?"
        ) from None
    except DefusedXmlException as error:
        raise WXRError(
            f"{name} was refused: it declares XML entities or external references ({type(error).__name__}), "
            "which WordPress exports never do."
        ) from None
    except UnicodeError as error:
        raise WXRError(f"{name} is not in the encoding it declares: {error}.") from None
    if not seen_wordpress:
        raise WXRError(f"{name} is an RSS feed, not a WordPress export (WXR): it has no WordPress data.")
    export.site_url = (
        channel_values.get("wp:base_blog_url")
        or channel_values.get("wp:base_site_url")
        or channel_values.get("link", "")
    )
    return export


# --- HTML to Markdown ----------------------------------------------------------------

# Tags that start a block: WordPress wraps other lines in <p> when it shows a classic post.
_BLOCK_START = re.compile(
    r"^(?:<(?:p|div|h[1-6]|ul|ol|li|dl|table|thead|tbody|tr|blockquote|pre|figure|hr|address|section|article|aside"
    r"|header|footer|nav|form|fieldset|iframe|script|style|object|embed|video|audio|noscript)\b|\x00pre\d+\x00)",
    re.IGNORECASE,
)
_PRE_RE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_BARE_URL_RE = re.compile(r"^https?://\S+$")
_CAPTION_RE = re.compile(r"\[(wp_caption|caption)\b([^\]]*)\](.*?)\[/\1\]", re.IGNORECASE | re.DOTALL)
_CAPTION_IMAGE_RE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL)
_EMBED_RE = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.IGNORECASE | re.DOTALL)
# Shortcodes WordPress (or a plugin) draws: we have nothing to draw them with.
DROPPED_SHORTCODES = (
    "gallery", "video", "audio", "playlist", "wpvideo", "youtube", "vimeo", "soundcloud",
    "contact-form-7", "contact-form", "gravityform", "googlemaps", "slideshow",
)  # fmt: skip
_SHORTCODE_RE = re.compile(
    r"\[(" + "|".join(map(re.escape, DROPPED_SHORTCODES)) + r")\b[^\]]*\](?:(.*?)\[/\1\])?",
    re.IGNORECASE | re.DOTALL,
)
# What the sanitizer removes with its content, and how the report names it.
REMOVED_WITH_CONTENT = {
    "script": "script",
    "style": "style sheet",
    "iframe": "embedded frame (iframe)",
    "object": "plugin object",
    "noscript": "noscript block",
    "template": "template",
    "svg": "inline SVG",
    "math": "MathML formula",
}
_OPENING_TAG_RE = re.compile(r"<(" + "|".join(REMOVED_WITH_CONTENT) + r"|embed|form)\b", re.IGNORECASE)
_HANDLER_RE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
_JS_URL_RE = re.compile(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
# What markdownify is given after the sanitizer: our allow-list, plus the structure it converts.
CONVERTED_TAGS = ALLOWED_TAGS | {
    "h1", "b", "i", "u", "s", "strike", "span", "div", "figure", "figcaption", "dl", "dt", "dd", "caption",
    "cite", "q", "small", "mark", "ins", "kbd", "samp", "var", "tfoot", "section", "article", "aside",
}  # fmt: skip


def wpautop(text: str) -> str:
    """WordPress's classic editor keeps paragraphs as blank lines and adds the <p> only when it shows the post.

    A simple ``wpautop``: each block of lines not starting with a block tag becomes a
    paragraph, a line break inside it a <br>; <pre> blocks are left as they are, and a
    paragraph that is only an address becomes a link (WordPress embedded it).
    """
    pres: list[str] = []

    def keep(match: re.Match[str]) -> str:
        pres.append(match.group(0))
        return f"\x00pre{len(pres) - 1}\x00"

    text = _PRE_RE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BARE_URL_RE.match(chunk):
            url = html.escape(chunk)
            paragraphs.append(f'<p><a href="{url}">{url}</a></p>')
        elif _BLOCK_START.match(chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    text = "\n\n".join(paragraphs)
    return re.sub(r"\x00pre(\d+)\x00", lambda match: pres[int(match.group(1))], text)


def expand_shortcodes(text: str, notes: list[str]) -> str:
    """[caption] becomes the image and its caption, [embed] a link; shortcodes we cannot draw go (noted)."""

    def caption(match: re.Match[str]) -> str:
        inner = match.group(3)
        found = _CAPTION_IMAGE_RE.match(inner)
        if not found:
            return inner
        image, words = found.group(1), found.group(2).strip()
        if not words:  # the old form: [caption caption="..."]
            attribute = re.search(r'caption="([^"]*)"', match.group(2))
            words = attribute.group(1) if attribute else ""
        return f"<p>{image}</p><p><em>{words}</em></p>" if words else f"<p>{image}</p>"

    def embed(match: re.Match[str]) -> str:
        url = html.escape(match.group(1).strip())
        return f'<p><a href="{url}">{url}</a></p>'

    def dropped(match: re.Match[str]) -> str:
        notes.append(f"removed the [{match.group(1).lower()}] shortcode: WordPress drew it, this site cannot")
        return ""

    text = _CAPTION_RE.sub(caption, text)
    text = _EMBED_RE.sub(embed, text)
    return _SHORTCODE_RE.sub(dropped, text)


def _removed_markup(raw: str) -> list[str]:
    """What the sanitizer is about to remove from ``raw``, in words for the report."""
    counts = Counter(match.group(1).lower() for match in _OPENING_TAG_RE.finditer(raw))
    removed = []
    for tag, count in sorted(counts.items()):
        what = REMOVED_WITH_CONTENT.get(tag, {"embed": "plugin embed", "form": "form"}.get(tag, tag))
        removed.append(f"{count} {what}" + ("s" if count > 1 and not what.endswith(")") else ""))
    handlers = len(_HANDLER_RE.findall(raw))
    if handlers:
        removed.append(f"{handlers} script handler attribute{'s' if handlers > 1 else ''} (onclick...)")
    scripted = len(_JS_URL_RE.findall(raw))
    if scripted:
        removed.append(f"{scripted} javascript: link{'s' if scripted > 1 else ''}")
    return removed


def _markdown_url(url: str) -> str:
    """A URL safe inside Markdown's (...): spaces, parentheses and angle brackets encoded."""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def _markdown_text(text: str) -> str:
    """Text safe inside Markdown's [...]."""
    text = " ".join(text.split())
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


class _WordPressConverter(MarkdownConverter):
    """markdownify, with images resolved by the import (ours, or a link) and links to the old site made relative."""

    def __init__(self, *, images: "ImageResolver | None", site_hosts: set[str], **options: Any) -> None:
        super().__init__(**options)
        self.images = images
        self.site_hosts = site_hosts

    def _image(self, el: Any) -> tuple[str | None, str, str]:
        """(our URL or None, alt text, the original URL) of an <img>."""
        src = (el.attrs.get("src") or "").strip()
        alt = (el.attrs.get("alt") or el.attrs.get("title") or "").strip()
        ours = self.images.resolve(src, alt) if self.images is not None and src else None
        return ours, alt, src

    def _image_markdown(self, el: Any, link_to: str = "") -> str:
        ours, alt, src = self._image(el)
        if ours:
            return f"![{_markdown_text(alt)}]({_markdown_url(ours)})"
        target = link_to or self._absolute(src)
        if not target:
            return _markdown_text(alt)
        words = alt or f"image: {PurePosixPath(urlsplit(target).path).name or target}"
        return f"[{_markdown_text(words)}]({_markdown_url(target)})"

    def _absolute(self, url: str) -> str:
        if url.startswith("//"):
            return f"https:{url}"
        if url.startswith("/") and self.images is not None and self.images.site_url:
            return self.images.site_url.rstrip("/") + url
        return url

    def _local(self, href: str) -> str:
        """A link to a page of the old site becomes a path here, which its redirect answers; files stay there."""
        parts = urlsplit(href)
        host = (parts.hostname or "").removeprefix("www.")
        if host and host in self.site_hosts and "/wp-content/" not in parts.path:
            return (
                parts.path
                + (f"?{parts.query}" if parts.query else "")
                + (f"#{parts.fragment}" if parts.fragment else "")
            )
        return href

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._image_markdown(el)

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        images = el.find_all("img")
        if len(images) == 1 and not el.get_text(strip=True):
            # A thumbnail linking to the full-size file: our copy of the image, or one link to the file.
            ours, _, _ = self._image(images[0])
            return self._image_markdown(images[0], link_to="" if ours else self._absolute(el.get("href") or ""))
        if el.get("href"):
            el["href"] = self._local(el["href"])
        return super().convert_a(el, text, parent_tags)  # type: ignore[misc]  # its stub leaves the per-tag methods out


def wordpress_html_to_markdown(
    content: str,
    *,
    images: "ImageResolver | None" = None,
    site_hosts: Iterable[str] = (),
    notes: list[str] | None = None,
) -> str:
    """A WordPress post's HTML as Markdown: paragraphs and shortcodes, the sanitizer, then markdownify.

    ``notes`` receives, in words, what was removed (scripts, frames, shortcodes).
    """
    notes = [] if notes is None else notes
    if not content.strip():
        return ""
    text = expand_shortcodes(content, notes)
    if "<!-- wp:" not in text:  # the block editor writes its own paragraphs
        text = wpautop(text)
    removed = _removed_markup(text)
    if removed:
        notes.append("removed " + ", ".join(removed))
    # Python's parser closes a tag left open at the end of its block, where a browser's (and the
    # sanitizer's) would carry the bold on into every paragraph after it.
    text = str(BeautifulSoup(text, "html.parser"))
    attributes = {**ALLOWED_ATTRIBUTES, "a": {"href", "title"}}
    text = nh3.clean(
        text,
        tags=CONVERTED_TAGS,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        link_rel=None,
    )
    text = re.sub(r"<(/?)h1\b", r"<\1h2", text)  # the article's title is its only h1
    converter = _WordPressConverter(
        images=images,
        site_hosts=set(site_hosts),
        heading_style="ATX",
        bullets="-",
        newline_style=BACKSLASH,
        table_infer_header=True,
        escape_misc=False,
    )
    markdown = converter.convert(text)
    markdown = re.sub(r"[ \t]+\n", "\n", markdown)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def plain_text(fragment: str) -> str:
    """An excerpt's or a title's HTML as one line of text."""
    return " ".join(html.unescape(nh3.clean(fragment or "", tags=set())).split())


# --- Images ----------------------------------------------------------------------------

_SIZE_SUFFIX_RE = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")
UPLOADS_MARKER = "/wp-content/uploads/"


def uploads_path(url: str) -> str | None:
    """'2015/10/reactor.png': where a WordPress upload sits in the uploads folder, from its address."""
    path = unquote(urlsplit(url).path)
    if UPLOADS_MARKER not in path:
        return None
    relative = path.split(UPLOADS_MARKER, 1)[1].strip("/")
    parts = PurePosixPath(relative).parts
    if not parts or any(part in ("..", ".", "") for part in parts):
        return None
    return relative


@dataclass
class ImageOutcome:
    stored: list[str] = field(default_factory=list)  # files written to the storage by this import
    images: int = 0  # Image records made
    linked: int = 0
    refused: int = 0
    missing: int = 0


class ImageResolver:
    """Finds a post's images in the copy of the uploads folder and stores each once as an ``Image``.

    Stored through ``lenrnews.media.store_image``, as an upload in the admin is: checked by
    its content, metadata stripped, in every rendition. Without a folder every image is kept
    as a link. ``resolve`` answers our URL for an image, or None to keep it a link; what it
    refused, and why, goes to ``notes``.
    """

    def __init__(self, *, media_dir: Path | None, site_url: str, attachments: dict[str, str]) -> None:
        self.media_dir = media_dir.resolve() if media_dir else None
        self.site_url = site_url
        self.attachments = attachments  # attachment URL -> its path in the uploads folder
        self.outcome = ImageOutcome()
        self.notes: list[str] = []
        self._done: dict[str, Image | None] = {}

    def resolve(self, src: str, alt: str = "") -> str | None:
        image = self.image(self.attachments.get(src) or uploads_path(src), alt)
        if image is None:
            self.outcome.linked += 1
            return None
        return image.url(1280, "WEBP")

    def image(self, relative: str | None, alt: str = "") -> Image | None:
        """The ``Image`` made of the upload at ``relative`` (once per import), or None."""
        if self.media_dir is None or relative is None:
            return None
        if relative not in self._done:
            self._done[relative] = self._take(relative, alt)
        return self._done[relative]

    def _find(self, relative: str) -> Path | None:
        assert self.media_dir is not None
        candidates = [relative]
        original = _SIZE_SUFFIX_RE.sub("", relative)
        if original != relative:
            candidates.append(original)  # a resized copy missing: the original will do
        for candidate in candidates:
            path = (self.media_dir / candidate).resolve()
            if path.is_relative_to(self.media_dir) and path.is_file():
                return path
        return None

    def _take(self, relative: str, alt: str) -> Image | None:
        path = self._find(relative)
        if path is None:
            self.outcome.missing += 1
            self.notes.append(f"image {relative} is not in the uploads folder given: kept as a link")
            return None
        size, limit = path.stat().st_size, media.max_bytes()
        if size > limit:  # refused before it is read
            self.outcome.refused += 1
            self.notes.append(
                f"image {relative} refused: it is {_size_display(size)}; images may be at most "
                f"{_size_display(limit)} (setting IMAGE_MAX_BYTES). Kept as a link"
            )
            return None
        try:
            with path.open("rb") as opened:
                stored = media.store_image(File(opened, name=path.name))
        except ValidationError as error:
            self.outcome.refused += 1
            self.notes.append(f"image {relative} refused: {' '.join(error.messages)} Kept as a link")
            return None
        self.outcome.stored += [stored["original"], *(rendition["name"] for rendition in stored["renditions"])]
        image = Image(
            alt=(alt or PurePosixPath(relative).stem.replace("-", " "))[:300],
            original=stored["original"],
            format=stored["format"],
            width=stored["width"],
            height=stored["height"],
            renditions=stored["renditions"],
        )
        image._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        image.save()
        self.outcome.images += 1
        return image


# --- Writing ---------------------------------------------------------------------------

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # scheduled: published with its time in the future
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.DRAFT,
}
SKIPPED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an automatic draft WordPress made, never written",
    "inherit": "a revision",
}
OTHER_TYPES = {
    "attachment": "a file: read for the posts' images",
    "revision": "an earlier revision of a post",
    "nav_menu_item": "an item of a WordPress menu",
    "wp_block": "a reusable block",
    "wp_template": "a theme template",
    "wp_template_part": "a theme template",
    "wp_global_styles": "theme styles",
    "wp_navigation": "a WordPress menu",
    "custom_css": "theme styles",
    "customize_changeset": "a theme customization",
    "oembed_cache": "WordPress's cache of an embed",
    "user_request": "a privacy request",
}


@dataclass
class AuthorMapping:
    login: str
    profile: Author  # the byline: an author profile, found or made (never a login account)
    username: str | None  # the staff account the articles are given, when one has that login
    profile_made: bool = False
    articles: int = 0


@dataclass
class ImportReport:
    created: Counter[str] = field(default_factory=Counter)  # status -> how many articles
    already: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (which post, what was changed)
    topics_created: list[str] = field(default_factory=list)
    topics_matched: list[str] = field(default_factory=list)
    authors: dict[str, AuthorMapping] = field(default_factory=dict)
    redirects: int = 0
    mentions: Counter[str] = field(default_factory=Counter)  # kind -> articles' mentions found
    images: ImageOutcome = field(default_factory=ImageOutcome)
    unused_fields: Counter[str] = field(default_factory=Counter)  # custom field -> how many posts
    comments: int = 0
    attachments: int = 0
    dry_run: bool = False

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def import_key(export: WXRExport, item: WXRItem) -> str:
    """'wordpress:oldsite.example:123': the post, whichever address the site had."""
    return f"{IMPORT_KEY_PREFIX}:{export.site_host}:{item.post_id}"


def _old_paths(item: WXRItem) -> list[str]:
    """The addresses the post had: its permalink and WordPress's short link."""
    parameter = "page_id" if item.post_type == "page" else "p"
    paths = [short_link_path(parameter, item.post_id)]
    if item.link:
        parts = urlsplit(item.link)
        if parts.path not in ("", "/"):
            paths.insert(0, normalize_old_path(parts.path))
    return list(dict.fromkeys(paths))


def _free_slug(wanted: str, taken: Callable[[str], bool], *, keep: int) -> str:
    """``wanted``, or when it is ``taken``, its first ``keep`` characters and the first free ``-2``, ``-3``..."""
    candidate, n = wanted, 2
    while taken(candidate):
        candidate = f"{wanted[:keep]}-{n}"
        n += 1
    return candidate


class _Importer:
    def __init__(self, export: WXRExport, *, media_dir: Path | None, include_pages: bool) -> None:
        self.export = export
        self.include_pages = include_pages
        self.report = ImportReport()
        attachments = {}
        for item in export.items:
            if item.post_type == "attachment":
                self.report.attachments += 1
                relative = item.meta.get("_wp_attached_file") or uploads_path(item.attachment_url)
                if item.attachment_url and relative:
                    attachments[item.attachment_url] = relative
        self.attachments_by_id = {item.post_id: item for item in export.items if item.post_type == "attachment"}
        self.images = ImageResolver(media_dir=media_dir, site_url=export.site_url, attachments=attachments)
        self.site_hosts = {export.site_host} - {""}
        self.topics: dict[tuple[str, str], Topic | None] = {}
        self.taken_slugs: set[str] = set()
        logins = set(export.authors) | {item.creator for item in export.items if item.creator}
        self.users = {
            user.get_username(): user for user in get_user_model().objects.filter(is_staff=True, username__in=logins)
        }

    # What to import -----------------------------------------------------------------

    def why_skipped(self, item: WXRItem) -> str | None:
        if item.post_type == "page":
            if not self.include_pages:
                return "a page, not an article (--pages imports pages too)"
        elif item.post_type != "post":
            return OTHER_TYPES.get(item.post_type, f"a “{item.post_type}” item, not a post")
        if item.status in SKIPPED_STATUSES:
            return SKIPPED_STATUSES[item.status]
        if item.status not in STATUSES:
            return f"its status “{item.status}” is not one WordPress exports for a post"
        if item.post_id <= 0:
            return "it has no WordPress post id"
        return None

    # Topics ---------------------------------------------------------------------------

    def topic(self, domain: str, slug: str, name: str) -> Topic | None:
        key = (domain, slug or name)
        if key in self.topics:
            return self.topics[key]
        term = self.export.terms.get((domain, slug))
        name = (name or (term.name if term else "") or slug).strip()[:120]
        if not name or slug == DEFAULT_CATEGORY:
            self.topics[key] = None
            return None
        topic_slug = slugify(unicodedata.normalize("NFKC", slug or name))[:120] or slugify(name)[:120]
        topic = Topic.objects.filter(slug=topic_slug).first() or Topic.objects.filter(name__iexact=name).first()
        if topic is not None:
            if topic.name not in self.report.topics_matched:
                self.report.topics_matched.append(topic.name)
        else:
            topic = Topic(name=name, slug=self._free_topic_slug(topic_slug or "topic"))
            topic.description = plain_text(term.description) if term else ""
            topic._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
            topic.save()
            self.report.topics_created.append(topic.name)
        base = "category" if domain == "category" else "tag"
        if slug:
            path = normalize_old_path(f"/{base}/{slug}/")
            if not Redirect.objects.filter(old_path=path).exists():
                Redirect.objects.create(old_path=path, topic=topic)
                self.report.redirects += 1
        self.topics[key] = topic
        return topic

    @staticmethod
    def _free_topic_slug(slug: str) -> str:
        return _free_slug(slug, lambda candidate: Topic.objects.filter(slug=candidate).exists(), keep=110)

    # Articles -------------------------------------------------------------------------

    def free_slug(self, wanted: str) -> str:
        def taken(candidate: str) -> bool:
            return candidate in self.taken_slugs or Article.all_objects.filter(slug=candidate).exists()

        slug = _free_slug(wanted, taken, keep=290)
        self.taken_slugs.add(slug)
        return slug

    def author(self, item: WXRItem) -> AuthorMapping:
        """The author profile a post's author becomes: the staff account's with that login, else one by that name.

        No login account is ever made: a profile is a byline, apart from any account.
        """
        login = item.creator
        if login not in self.report.authors:
            wxr_author = self.export.authors.get(login) or WXRAuthor(login=login)
            name = (wxr_author.byline or "Staff writer")[:120]
            user = self.users.get(login)
            if user is not None:
                profile = Author.objects.filter(user=user).first()
            else:
                profile = Author.objects.filter(display_name__iexact=name).order_by("user", "pk").first()
            made = profile is None
            if profile is None:
                profile = Author(display_name=name, slug=self._free_author_slug(name), user=user)
                profile._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
                profile.save()
            self.report.authors[login] = AuthorMapping(
                login=login, profile=profile, username=user.get_username() if user else None, profile_made=made
            )
        return self.report.authors[login]

    @staticmethod
    def _free_author_slug(name: str) -> str:
        base = slugify(unicodedata.normalize("NFKC", name))[:110] or "author"
        return _free_slug(base, lambda candidate: Author.objects.filter(slug=candidate).exists(), keep=110)

    def import_item(self, item: WXRItem) -> None:
        what = item.describe()
        notes: list[str] = []
        status = STATUSES[item.status]
        if item.status == "private":
            notes.append("private in WordPress: imported as a draft")
        if item.password:
            status = Article.Status.DRAFT
            notes.append("password-protected in WordPress: imported as a draft")
        title = item.title or f"Untitled {item.post_type} {item.post_id}"
        if not item.title:
            notes.append(f"it had no title: called “{title}”")
        if len(title) > 300:
            notes.append("its title was longer than 300 characters: cut")
            title = title[:299] + "…"
        wanted_slug = slugify(unicodedata.normalize("NFKC", item.post_name)) or slugify(title) or f"post-{item.post_id}"
        slug = self.free_slug(wanted_slug[:300])
        if slug != wanted_slug[:300]:
            notes.append(f"the address “{wanted_slug}” was taken here: it is “{slug}” (the old address redirects)")
        self.images.notes = []
        body = wordpress_html_to_markdown(item.content, images=self.images, site_hosts=self.site_hosts, notes=notes)
        notes.extend(self.images.notes)
        standfirst = plain_text(item.excerpt) or plain_text(item.meta.get("_yoast_wpseo_metadesc", ""))
        lead_image = self.lead_image(item, notes)
        author = self.author(item)
        created = item.post_date_gmt or item.post_date
        publish_at = created if status == Article.Status.PUBLISHED else None
        if status == Article.Status.PUBLISHED and publish_at is None:
            publish_at = item.modified_gmt
        article = Article(
            title=title,
            slug=slug,
            standfirst=standfirst,
            body=body,
            author=self.users.get(author.login),
            lead_image=lead_image,
            status=status,
            publish_at=publish_at,
            import_key=import_key(self.export, item),
        )
        try:
            article.full_clean(exclude=["body", "slug", "import_key"])
        except ValidationError as error:
            self.taken_slugs.discard(slug)
            problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
            self.report.skipped.append((what, f"it does not make a valid article ({problems})"))
            return
        for key in item.meta:
            if not key.startswith("_"):  # WordPress's own fields start with "_"
                self.report.unused_fields[key] += 1
        self.report.comments += item.comments
        article._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        article.save()
        ArticleAuthor.objects.create(article=article, author=author.profile, position=0)
        topics = [self.topic(domain, term_slug, name) for domain, term_slug, name in item.terms]
        article.topics.set([topic for topic in topics if topic is not None])
        # The dates it had: when it was written and last changed in WordPress.
        dates = {"created_at": created, "updated_at": item.modified_gmt or created}
        Article.all_objects.filter(pk=article.pk).update(**{k: v for k, v in dates.items() if v is not None})
        for path in _old_paths(item):
            existing = Redirect.objects.filter(old_path=path).first()
            if existing is None:
                Redirect.objects.create(old_path=path, article=article)
                self.report.redirects += 1
            elif existing.article_id != article.pk:
                notes.append(f"its old address {path} already leads to {existing.target}: left so")
        for kind, pks in article_detect_mentions(article=article).items():
            self.report.mentions[kind] += len(pks)
        author.articles += 1
        self.report.created["scheduled" if article.is_scheduled else Article.Status(status).label.lower()] += 1
        self.report.notes.extend((what, note) for note in notes)

    def lead_image(self, item: WXRItem, notes: list[str]) -> Image | None:
        """The post's featured image (``_thumbnail_id``) as the article's lead image, when the uploads are given."""
        thumbnail = item.meta.get("_thumbnail_id", "")
        attachment = self.attachments_by_id.get(int(thumbnail)) if thumbnail.isdigit() else None
        if attachment is None:
            return None
        relative = attachment.meta.get("_wp_attached_file") or uploads_path(attachment.attachment_url)
        if self.images.media_dir is None or relative is None:
            notes.append(f"its featured image ({attachment.attachment_url}) is not imported without --media")
            return None
        self.images.notes = []
        alt = attachment.meta.get("_wp_attachment_image_alt") or attachment.title or item.title
        image = self.images.image(relative, alt)
        notes.extend(self.images.notes)
        return image

    def run(self, progress: Callable[[Iterable[WXRItem]], Iterable[WXRItem]]) -> ImportReport:
        wanted = []
        for item in self.export.items:
            why = self.why_skipped(item)
            if why is None:
                wanted.append(item)
            elif item.post_type != "attachment":
                self.report.skipped.append((item.describe(), why))
        keys = {import_key(self.export, item): item for item in wanted}
        known = dict(Article.all_objects.filter(import_key__in=list(keys)).values_list("import_key", "deleted_at"))
        seen: set[int] = set()
        to_import = []
        for key, item in keys.items():
            if key in known:
                where = "in the trash here" if known[key] else "left as it is"
                self.report.already.append(f"{item.describe()}: {where}")
            elif item.post_id not in seen:
                seen.add(item.post_id)
                to_import.append(item)
        for item in progress(to_import):
            self.import_item(item)
        return self.report


def wordpress_import(
    export: WXRExport,
    *,
    media_dir: Path | None = None,
    include_pages: bool = False,
    dry_run: bool = False,
    progress: Callable[[Iterable[WXRItem]], Iterable[WXRItem]] = lambda items: items,
) -> ImportReport:
    """Import ``export`` in one transaction; with ``dry_run`` report what it would do and keep nothing.

    Posts already imported (same ``import_key``) are left as they are, so a second run
    changes nothing. Any error undoes the whole import, the images it stored included.
    """
    importer = _Importer(export, media_dir=media_dir, include_pages=include_pages)
    try:
        with transaction.atomic():
            report = importer.run(progress)
            report.images = importer.images.outcome
            report.dry_run = dry_run
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        _delete_stored(importer.images.outcome.stored)
        raise
    if dry_run:
        _delete_stored(importer.images.outcome.stored)
    elif report.total_created:
        bump_generation()  # dates set with update(), which sends no signal
    return report


def _delete_stored(names: list[str]) -> None:
    media.delete_stored(names)


def authors_summary(report: ImportReport) -> list[str]:
    lines = []
    for mapping in sorted(report.authors.values(), key=lambda m: m.login):
        profile = f"{'new' if mapping.profile_made else 'existing'} author profile “{mapping.profile.display_name}”"
        account = (
            f"staff account “{mapping.username}”"
            if mapping.username
            else "no account (no staff account has that login; none was made)"
        )
        lines.append(f"{mapping.login or '(no author)'} → {profile}, {account}: {mapping.articles} article(s)")
    return lines


def group_by_reason(entries: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for what, why in entries:
        grouped[why].append(what)
    return grouped
