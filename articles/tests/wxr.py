"""WordPress exports (WXR 1.2) for the tests, written the way WordPress's Tools > Export writes them.

The layout, the namespaces, the CDATA sections (with WordPress's way of splitting a
``]]>`` inside one) and the fields of each element follow ``wp-admin/includes/export.php``.
"""

import datetime
import io
from dataclasses import dataclass, field

from PIL import Image

SITE = "https://oldsite.example"


def cdata(text) -> str:
    """WordPress's ``wxr_cdata``: a CDATA section, a ``]]>`` inside it split over two."""
    text = "" if text is None else str(text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Author:
    login: str
    display_name: str
    id: int = 1
    email: str = ""
    first_name: str = ""
    last_name: str = ""

    def xml(self) -> str:
        return (
            f"\t<wp:author><wp:author_id>{self.id}</wp:author_id>"
            f"<wp:author_login>{cdata(self.login)}</wp:author_login>"
            f"<wp:author_email>{cdata(self.email or self.login + '@oldsite.example')}</wp:author_email>"
            f"<wp:author_display_name>{cdata(self.display_name)}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata(self.first_name)}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata(self.last_name)}</wp:author_last_name></wp:author>\n"
        )


@dataclass
class Term:
    domain: str  # "category" or "post_tag"
    slug: str
    name: str
    id: int = 1
    description: str = ""

    def xml(self) -> str:
        if self.domain == "category":
            return (
                f"\t<wp:category>\n\t\t<wp:term_id>{self.id}</wp:term_id>\n"
                f"\t\t<wp:category_nicename>{cdata(self.slug)}</wp:category_nicename>\n"
                f"\t\t<wp:category_parent>{cdata('')}</wp:category_parent>\n"
                f"\t\t<wp:cat_name>{cdata(self.name)}</wp:cat_name>\n"
                f"\t\t<wp:category_description>{cdata(self.description)}</wp:category_description>\n"
                "\t</wp:category>\n"
            )
        return (
            f"\t<wp:tag>\n\t\t<wp:term_id>{self.id}</wp:term_id>\n"
            f"\t\t<wp:tag_slug>{cdata(self.slug)}</wp:tag_slug>\n"
            f"\t\t<wp:tag_name>{cdata(self.name)}</wp:tag_name>\n"
            "\t</wp:tag>\n"
        )


@dataclass
class Item:
    """A post, a page, an attachment... as one <item>."""

    post_id: int
    title: str
    content: str = ""
    post_type: str = "post"
    status: str = "publish"
    slug: str | None = None
    date: str = "2015-10-20 14:30:00"  # GMT; the local time is four hours behind (New York)
    modified: str = "2015-10-21 09:00:00"
    creator: str = "jrothwell"
    terms: list[Term] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    excerpt: str = ""
    comments: int = 0
    password: str = ""
    attachment_url: str = ""
    parent: int = 0

    @property
    def post_name(self) -> str:
        if self.slug is not None:
            return self.slug
        return "" if self.status in ("draft", "pending", "auto-draft") else f"post-{self.post_id}"

    @property
    def link(self) -> str:
        if self.post_type == "attachment":
            return f"{SITE}/{self.post_name}/"
        if not self.post_name or self.status in ("draft", "pending", "future"):
            parameter = "page_id" if self.post_type == "page" else "p"
            return f"{SITE}/?{parameter}={self.post_id}"
        if self.post_type == "page":
            return f"{SITE}/{self.post_name}/"
        when = datetime.datetime.strptime(self.date, "%Y-%m-%d %H:%M:%S")
        return f"{SITE}/{when:%Y/%m}/{self.post_name}/"

    def xml(self) -> str:
        when = datetime.datetime.strptime(self.date, "%Y-%m-%d %H:%M:%S")
        local = when - datetime.timedelta(hours=4)
        draft = self.status in ("draft", "pending", "auto-draft")
        gmt = "0000-00-00 00:00:00" if draft else self.date
        lines = [
            "\t<item>",
            f"\t\t<title>{cdata(self.title)}</title>",
            f"\t\t<link>{self.link}</link>",
            f"\t\t<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>",
            f"\t\t<dc:creator>{cdata(self.creator)}</dc:creator>",
            f'\t\t<guid isPermaLink="false">{SITE}/?p={self.post_id}</guid>',
            "\t\t<description></description>",
            f"\t\t<content:encoded>{cdata(self.content)}</content:encoded>",
            f"\t\t<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>",
            f"\t\t<wp:post_id>{self.post_id}</wp:post_id>",
            f"\t\t<wp:post_date>{cdata(f'{local:%Y-%m-%d %H:%M:%S}')}</wp:post_date>",
            f"\t\t<wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>",
            f"\t\t<wp:post_modified>{cdata(self.modified)}</wp:post_modified>",
            f"\t\t<wp:post_modified_gmt>{cdata(self.modified)}</wp:post_modified_gmt>",
            f"\t\t<wp:comment_status>{cdata('open')}</wp:comment_status>",
            f"\t\t<wp:ping_status>{cdata('open')}</wp:ping_status>",
            f"\t\t<wp:post_name>{cdata(self.post_name)}</wp:post_name>",
            f"\t\t<wp:status>{cdata(self.status)}</wp:status>",
            f"\t\t<wp:post_parent>{self.parent}</wp:post_parent>",
            "\t\t<wp:menu_order>0</wp:menu_order>",
            f"\t\t<wp:post_type>{cdata(self.post_type)}</wp:post_type>",
            f"\t\t<wp:post_password>{cdata(self.password)}</wp:post_password>",
            "\t\t<wp:is_sticky>0</wp:is_sticky>",
        ]
        if self.attachment_url:
            lines.append(f"\t\t<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>")
        for term in self.terms:
            lines.append(f'\t\t<category domain="{term.domain}" nicename="{term.slug}">{cdata(term.name)}</category>')
        for key, value in {"_edit_last": "1", **self.meta}.items():
            lines += [
                "\t\t<wp:postmeta>",
                f"\t\t\t<wp:meta_key>{cdata(key)}</wp:meta_key>",
                f"\t\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>",
                "\t\t</wp:postmeta>",
            ]
        for n in range(self.comments):
            lines += [
                "\t\t<wp:comment>",
                f"\t\t\t<wp:comment_id>{self.post_id * 100 + n}</wp:comment_id>",
                f"\t\t\t<wp:comment_author>{cdata('A reader')}</wp:comment_author>",
                f"\t\t\t<wp:comment_content>{cdata('Interesting!')}</wp:comment_content>",
                f"\t\t\t<wp:comment_approved>{cdata('1')}</wp:comment_approved>",
                "\t\t</wp:comment>",
            ]
        lines.append("\t</item>")
        return "\n".join(lines) + "\n"


def attachment(post_id: int, path: str, *, parent: int = 0, title: str = "", alt: str = "The E-Cat reactor") -> Item:
    """An uploaded file, as WordPress lists it: its address and its place in the uploads folder."""
    url = f"{SITE}/wp-content/uploads/{path}"
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Item(
        post_id,
        title or name,
        post_type="attachment",
        status="inherit",
        slug=name,
        attachment_url=url,
        parent=parent,
        meta={
            "_wp_attached_file": path,
            "_wp_attachment_metadata": 'a:1:{s:5:"width";i:40;}',
            "_wp_attachment_image_alt": alt,
        },
    )


def wxr(items=(), *, authors=None, terms=(), site=SITE) -> str:
    """The whole export file."""
    if authors is None:
        authors = [Author("jrothwell", "Jed Rothwell", id=1), Author("mmacy", "Marianne Macy", id=2)]
    head = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->\n"
        "<!-- It contains information about your site's posts, pages, comments, categories, and other content. -->\n"
        "<!-- You may use this file to transfer that content from one site to another. -->\n"
        '<!-- generator="WordPress/6.7.1" created="2026-11-30 10:00" -->\n'
        '<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/"\n'
        ">\n\n<channel>\n"
        "\t<title>Old LENR News</title>\n"
        f"\t<link>{site}</link>\n"
        "\t<description>News of the field</description>\n"
        "\t<pubDate>Sun, 30 Nov 2026 10:00:00 +0000</pubDate>\n"
        "\t<language>en-US</language>\n"
        "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{site}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{site}</wp:base_blog_url>\n\n"
    )
    body = "".join(author.xml() for author in authors)
    body += "".join(term.xml() for term in terms)
    body += "\n\t<generator>https://wordpress.org/?v=6.7.1</generator>\n\n"
    body += "".join(item.xml() for item in items)
    return head + body + "</channel>\n</rss>\n"


def png_bytes(size=(40, 30), color="red", *, noise=False) -> bytes:
    """A real PNG made by Pillow: one colour, or noise (which does not compress, so a cut falls in the pixels)."""
    buffer = io.BytesIO()
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, color)
    image.save(buffer, "PNG")
    return buffer.getvalue()
