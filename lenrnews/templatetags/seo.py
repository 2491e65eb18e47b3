"""Head tags for search engines, social sites and feed readers.

In a page's ``meta`` block::

    {% load seo %}
    {% seo_meta title=article.title description=article.standfirst type="article" %}
    {% json_ld article %}
    {% feed_links topic %}
"""

from django import template
from django.conf import settings
from django.urls import reverse

from lenrnews.seo import (
    absolute_url,
    article_json_ld,
    json_ld_script,
    organization_json_ld,
    person_json_ld,
    short_description,
)

register = template.Library()

DEFAULT_DESCRIPTION = (
    "News of the LENR (cold fusion) field and a database of its organizations, people, "
    "technologies and deals, with the sources for every claim."
)
JSON_LD_BUILDERS = {
    "articles.article": article_json_ld,
    "organizations.organization": organization_json_ld,
    "organizations.person": person_json_ld,
}


def canonical_url(request):
    """The page's public address: its path, plus ``page`` past the first page; no filters."""
    if request is None:
        return absolute_url("/")
    url = absolute_url(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return url


@register.inclusion_tag("includes/seo_meta.html", takes_context=True)
def seo_meta(
    context, title="", description="", type="website", noindex=False, published=None, modified=None, image=None
):
    """Meta description, canonical link, OpenGraph and Twitter card tags.

    ``published`` and ``modified`` (datetimes) give an article's OpenGraph times; ``image``
    (an uploaded Image) the picture a share shows.
    """
    request = context.get("request")
    return {
        "image": image,
        "image_url": absolute_url(image.url(1280, image.format)) if image else "",
        "site_name": settings.SITE_NAME,
        "title": " ".join(str(title).split()) or settings.SITE_NAME,
        "description": short_description(str(description or "")) or DEFAULT_DESCRIPTION,
        "type": type,
        "canonical": canonical_url(request),
        "noindex": noindex,
        "published": published,
        "modified": max(modified, published) if modified and published else modified,
    }


@register.simple_tag
def json_ld(obj):
    """The JSON-LD of an article, organization or person; nothing for anything else."""
    builder = JSON_LD_BUILDERS.get(getattr(getattr(obj, "_meta", None), "label_lower", None))
    return json_ld_script(builder(obj)) if builder else ""


@register.inclusion_tag("includes/feed_links.html")
def feed_links(obj=None):
    """Autodiscovery links: the site's feeds, and the feeds of a topic or organization."""
    return {"feeds": _feeds(obj)}


@register.inclusion_tag("includes/follow_links.html")
def follow_links(obj=None):
    """Visible "Follow" links: the feeds of a topic or an organization, or the site's."""
    feeds = _feeds(obj)
    return {"feeds": feeds[2:] or feeds, "name": str(obj) if obj is not None else None}


def _feeds(obj):
    feeds = [
        (f"{settings.SITE_NAME}: latest articles (RSS)", "application/rss+xml", reverse("feeds:articles_rss")),
        (f"{settings.SITE_NAME}: latest articles (Atom)", "application/atom+xml", reverse("feeds:articles_atom")),
    ]
    label = getattr(getattr(obj, "_meta", None), "label_lower", None)
    kind = {"articles.topic": "topic", "organizations.organization": "organization", "articles.author": "author"}.get(
        label
    )
    if kind:
        name = str(obj)
        feeds += [
            (f"{name} (RSS)", "application/rss+xml", reverse(f"feeds:{kind}_rss", args=[obj.slug])),
            (f"{name} (Atom)", "application/atom+xml", reverse(f"feeds:{kind}_atom", args=[obj.slug])),
        ]
    return [
        {"title": t, "type": m, "href": absolute_url(u), "format": t.rsplit("(", 1)[-1].rstrip(")")}
        for t, m, u in feeds
    ]
