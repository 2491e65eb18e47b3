"""What search engines and social sites read: absolute URLs and JSON-LD.

Absolute URLs come from the ``SITE_URL`` setting, not from the request's Host
header, so feeds, the sitemap and canonical links name the public address even
behind a proxy.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from lenrnews.search import plain_text

# As django.utils.html.json_script: nothing in the data can close the <script>.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
DESCRIPTION_LENGTH = 200


def absolute_url(path):
    """``path`` on the public site: 'https://lenrnews.example/articles/'."""
    return settings.SITE_URL.rstrip("/") + path


def json_ld_script(data):
    """A ``<script type="application/ld+json">`` element, safe whatever the data holds."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def short_description(text, length=DESCRIPTION_LENGTH):
    """One line of plain text for a meta description (Markdown marks removed)."""
    return Truncator(plain_text(text)).chars(length)


def publisher():
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/")}


def article_json_ld(article):
    """schema.org NewsArticle: what news search shows for an article."""
    url = absolute_url(article.get_absolute_url())
    byline = article.byline_display
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.publish_at,
        "dateModified": max(article.updated_at, article.publish_at) if article.publish_at else article.updated_at,
        "author": [
            {"@type": "Person", "name": row.author.display_name, "url": absolute_url(row.author.get_absolute_url())}
            for row in article.articleauthor_set.all()
        ]
        or ({"@type": "Person", "name": byline} if byline else publisher()),
        "publisher": publisher(),
    }
    if article.standfirst:
        data["description"] = short_description(article.standfirst, 300)
    if article.lead_image_id:
        data["image"] = absolute_url(article.lead_image.url(1280, article.lead_image.format))
    topics = [topic.name for topic in article.topics.all()]
    if topics:
        data["articleSection"] = topics
    return data


def organization_json_ld(organization):
    """schema.org Organization (or GovernmentOrganization, CollegeOrUniversity...)."""
    kinds = {
        "government": "GovernmentOrganization",
        "university": "CollegeOrUniversity",
        "research_lab": "ResearchOrganization",
        "nonprofit": "NGO",
        "media": "NewsMediaOrganization",
        "company": "Corporation",
    }
    data = {
        "@context": "https://schema.org",
        "@type": kinds.get(organization.kind, "Organization"),
        "name": organization.name,
        "url": absolute_url(organization.get_absolute_url()),
    }
    if organization.alias_list:
        data["alternateName"] = organization.alias_list
    if organization.summary:
        data["description"] = organization.summary
    if organization.website:
        data["sameAs"] = [organization.website]
    if organization.founded:
        data["foundingDate"] = str(organization.founded)
    if organization.dissolved:
        data["dissolutionDate"] = str(organization.dissolved)
    if organization.country or organization.city:
        address = {"@type": "PostalAddress"}
        if organization.country:
            address["addressCountry"] = organization.country.code
        if organization.city:
            address["addressLocality"] = organization.city
        data["address"] = address
    if organization.parent_id:
        parent = organization.parent
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": parent.name,
            "url": absolute_url(parent.get_absolute_url()),
        }
    if organization.logo_id:
        data["logo"] = absolute_url(organization.logo.url(640, organization.logo.format))
    return data


def person_json_ld(person):
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute_url(person.get_absolute_url()),
    }
    if person.alias_list:
        data["alternateName"] = person.alias_list
    if person.portrait_id:
        data["image"] = absolute_url(person.portrait.url(640, person.portrait.format))
    if person.website:
        data["sameAs"] = [person.website]
    if person.country:
        data["nationality"] = {"@type": "Country", "name": person.country.name}
    return data
