from django.conf import settings
from django.urls import reverse

# The sections of the main navigation: label, the section's front page, and every page
# (URL name) that belongs to it. A page of none of them marks no section.
SECTIONS = (
    ("Articles", "articles:article_list", {"articles:article_detail", "articles:topic_detail"}),
    ("Organizations", "organizations:organization_list", {"organizations:organization_detail"}),
    ("Technologies", "organizations:technology_list", {"organizations:technology_detail"}),
    ("Deals", "investments:investment_list", {"investments:investment_detail"}),
    ("Events", "investments:event_list", {"investments:event_detail"}),
    ("People", "organizations:person_list", {"organizations:person_detail"}),
)


def navigation(request):
    """The main navigation's links, the one of the current page's section marked ``current``."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    return [
        {"label": label, "url": reverse(front), "current": view_name == front or view_name in pages}
        for label, front, pages in SECTIONS
    ]


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SYNTHETIC_DATA": settings.SYNTHETIC_DATA,
        "navigation": navigation(request),
    }
