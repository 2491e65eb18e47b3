"""The top floor: the home page, the search page, the sitemap index and robots.txt.

Each gathers every app's content, so it sits above them all.
"""

import re
from urllib.parse import urlencode

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.files.storage import default_storage
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import TemplateView

from articles.models import Article
from articles.sitemaps import ArticleSitemap, TopicSitemap
from investments.models import Event, Investment
from investments.selectors import deal_cards, recently_active_organizations
from investments.sitemaps import EventSitemap, InvestmentSitemap
from lenrnews.listing import active_filters, adapt_filter_form
from lenrnews.search import (
    COUNT_LIMIT,
    MAX_QUERY_LENGTH,
    clean_query,
    count_matches,
    document_for,
    filter_by_text,
    has_words,
    snippet,
    with_snippets,
)
from lenrnews.seo import absolute_url
from organizations.models import Organization, Person, Technology, TechnologyStake
from organizations.sitemaps import OrganizationSitemap, PersonSitemap, TechnologySitemap

from .connections import node_of
from .forms import NetworkForm
from .network import draw, network_around, network_whole


class HomeView(TemplateView):
    template_name = "home.html"
    article_count = 10
    deal_count = 6
    organization_count = 8

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(
            Article.objects.published()
            .defer("body", "body_html")
            .with_bylines()
            .prefetch_related("topics")[: self.article_count]
        )
        context["lead"] = articles[0] if articles else None
        context["articles"] = articles[1:]
        context["deals"] = deal_cards().order_by(F("announced_on").desc(nulls_last=True), "-id")[: self.deal_count]
        context["organizations"] = recently_active_organizations(self.organization_count).prefetch_related(
            Prefetch("stakes", queryset=TechnologyStake.objects.select_related("technology"))
        )
        return context


class SearchGroup:
    """One kind of result on /search/: where its rows come from and its listing."""

    def __init__(self, key, heading, noun, queryset, listing, limit=5):
        self.key, self.heading, self.noun, self.listing, self.limit = key, heading, noun, listing, limit
        self.queryset = queryset

    def search(self, query):
        """The group's count (no row scored; "more than" past :data:`COUNT_LIMIT`) and
        its first rows by relevance; only the rows shown are highlighted."""
        queryset = self.queryset()
        fields = document_for(queryset.model).fields
        count = count_matches(queryset, query, fields)
        results = []
        if count:  # building the ranked query costs a few milliseconds of Python
            results = list(with_snippets(filter_by_text(queryset, query, fields), query)[: self.limit])
        for result in results:
            result.search_snippet = snippet(result, query)
        return {
            "key": self.key,
            "heading": self.heading,
            "noun": self.noun,
            "count": min(count, COUNT_LIMIT),
            "more": count > COUNT_LIMIT,
            "results": results,
            "see_all_url": f"{reverse(self.listing)}?{urlencode({'q': query})}",
        }


# The searchable models (each declares its ``search_fields``), in the order the page shows them.
SEARCH_GROUPS = [
    SearchGroup(
        "articles",
        "Articles",
        "article",
        lambda: Article.objects.published().with_bylines(),
        "articles:article_list",
        limit=10,
    ),
    SearchGroup(
        "organizations", "Organizations", "organization", Organization.objects.all, "organizations:organization_list"
    ),
    SearchGroup("people", "People", "person", Person.objects.all, "organizations:person_list"),
    SearchGroup("technologies", "Technologies", "technology", Technology.objects.all, "organizations:technology_list"),
    SearchGroup(
        "deals",
        "Deals",
        "deal",
        lambda: Investment.objects.prefetch_related("recipients"),
        "investments:investment_list",
    ),
    SearchGroup("events", "Events", "event", Event.objects.all, "investments:event_list"),
]


class SearchView(TemplateView):
    """/search/?q=: published articles, organizations, people, technologies, deals and events,
    each group ranked by relevance, with its count and a link into its listing."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        query = clean_query(raw)
        groups = [group.search(query) for group in SEARCH_GROUPS] if has_words(query) else []
        context.update(
            query=query,
            shortened=len(raw.replace("\x00", "").strip()) > MAX_QUERY_LENGTH,
            groups=groups,
            total=sum(group["count"] for group in groups),
            more=any(group["more"] for group in groups),
            max_length=MAX_QUERY_LENGTH,
        )
        return context


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # Article previews live under /admin/ (articles/<id>/preview/); /preview/ stays
        # closed in case a preview address is ever served outside it.
        "Disallow: /preview/",
        # Search results are endless combinations of the pages the sitemap lists.
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "organizations": OrganizationSitemap,
    "people": PersonSitemap,
    "technologies": TechnologySitemap,
    "deals": InvestmentSitemap,
    "events": EventSitemap,
}


@x_robots_tag
def sitemap_index(request):
    """The sitemap index: every page of every section, addressed from SITE_URL."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


STORED_IMAGE = re.compile(r"images/[0-9a-f]{32}/(?:original|[0-9]{1,5})\.(jpg|png|webp)")
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def media_file(request, name):
    """An uploaded image from the default storage (when it is the site's folder), as the image it is.

    Only the names ``store_image`` writes are served, with their format's content type,
    ``nosniff`` and a sandboxing policy: nothing uploaded is run or read as HTML.
    """
    match = STORED_IMAGE.fullmatch(name)
    if match is None or not default_storage.exists(name):
        raise Http404("No such image.")
    response = FileResponse(default_storage.open(name), content_type=IMAGE_TYPES[match.group(1)])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


class _FormFilter:
    """A plain form in the shape the listing templates read (``filter.form``, ``filter.errors``)."""

    def __init__(self, form):
        self.form = form

    @property
    def errors(self):
        return self.form.errors


def network_for(form):
    """The network a valid :class:`NetworkForm` asks for: around a party, or the whole field."""
    around = form.cleaned_data.get("around")
    filters = form.link_filters()
    if around is not None:
        return network_around(node_of(around), depth=form.steps, filters=filters, cap=form.cap)
    return network_whole(filters=filters, cap=form.cap)


class NetworkView(TemplateView):
    """/network/: the graph of parties, around one of them or across the field, with the API's filters."""

    template_name = "portal/network.html"

    def get(self, request, *args, **kwargs):
        if any("" in values for _, values in request.GET.lists()):
            kept = request.GET.copy()
            for key, values in request.GET.lists():
                kept.setlist(key, [value for value in values if value != ""])
            query = kept.urlencode()
            return redirect(f"{request.path}?{query}" if query else request.path)
        response = super().get(request, *args, **kwargs)
        if response.context_data["form"].errors:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = NetworkForm(self.request.GET or None)
        adapt_filter_form(form, labels={"kind": "Kind of link"})
        filter_ = _FormFilter(form)
        context.update(form=form, filter=filter_, active_filters=active_filters(self.request, filter_))
        if not form.is_bound or form.is_valid():
            if not form.is_bound:
                form.cleaned_data = {}
            network = network_for(form)
            center = network.center
            title = f"Network of {center.name}" if center else "The most connected parties"
            context.update(
                network=network,
                network_title=title,
                svg=draw(network, id="network-page", title=title) if len(network.nodes) > 1 else None,
            )
        return context
