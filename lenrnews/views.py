"""The home page and the building blocks shared by every public listing."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Case, F, OuterRef, Prefetch, Q, Subquery, When
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import TemplateView
from django_filters.conf import settings as filter_settings
from django_filters.views import FilterView

from articles.models import Article
from articles.sitemaps import ArticleSitemap, TopicSitemap
from investments.models import Investment, InvestorOrganization
from investments.sitemaps import InvestmentSitemap
from lenrnews.forms import FastWidgetRenderer
from lenrnews.search import (
    MAX_QUERY_LENGTH,
    clean_query,
    document_for,
    filter_by_text,
    has_words,
    snippet,
    with_snippets,
)
from lenrnews.seo import absolute_url
from organizations.models import Organization, Person, Technology, TechnologyStake
from organizations.sitemaps import OrganizationSitemap, PersonSitemap, TechnologySitemap

PAGE_SIZE = 20
# Above this many choices a multiple choice is a list box, below it a row of checkboxes.
MAX_CHECKBOXES = 12
BOOLEAN_LABELS = {"true": "Yes", "false": "No"}
# The home page looks for the most recently active organizations in this many latest deals.
RECENT_DEALS = 50
# Writes the same HTML as Django's widget templates, without a template per option.
WIDGET_RENDERER = FastWidgetRenderer()


def adapt_filter_form(form, text_inputs=(), labels=None):
    """Make a FilterSet's form pleasant on a page without changing what it accepts.

    Widgets only: the FilterSet (shared with the API) parses the same values.
    ``text_inputs`` names slug filters typed as text instead of a list of every row;
    ``labels`` renames controls whose generated label reads badly.
    """
    form.label_suffix = ""
    form.renderer = WIDGET_RENDERER
    labels = labels or {}
    for name, field in form.fields.items():
        field.label = labels.get(name) or str(field.label).replace(" (slug)", "")
        if name in text_inputs:
            field.widget = forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "off"})
            field.help_text = field.help_text or "As in the address of its page, e.g. industrial-heat."
            continue
        if isinstance(field.widget, forms.NumberInput):
            # A text box shows a mistyped value back beside its error; a number box would blank it.
            mode = "numeric" if isinstance(field, forms.IntegerField) else "decimal"
            field.widget = forms.TextInput(attrs={"inputmode": mode})
        elif isinstance(field, forms.NullBooleanField) and isinstance(field.widget, forms.Select):
            # Keep the field's own widget (it parses the value); only say "Any" for "Unknown".
            field.widget.choices = [
                (value, "Any" if value in ("", "unknown") else label) for value, label in field.widget.choices
            ]
        elif isinstance(field, forms.MultipleChoiceField):
            if len(field.choices) <= MAX_CHECKBOXES:
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
            else:
                field.widget = forms.SelectMultiple(choices=field.choices, attrs={"size": 6})
                field.help_text = field.help_text or "Hold Ctrl (⌘ on a Mac) to choose several."
        if getattr(field, "empty_label", None) == filter_settings.EMPTY_CHOICE_LABEL:
            field.empty_label = "Any"
            # The widget holds its own copy of the choices, made before the label changed.
            field.widget.choices = field.choices
        if isinstance(field, forms.ModelChoiceField) and isinstance(field.widget, forms.Select):
            if _labelled_by_name(field):
                field.widget.choices = NameChoices(field)
        if name == "q":
            field.widget.input_type = "search"


def _labelled_by_name(field):
    """True when a model choice's label is its row's ``name`` (so the rows need not be built)."""
    model = field.queryset.model
    if type(field).label_from_instance is not forms.ModelChoiceField.label_from_instance:
        return False
    if "name" not in {f.name for f in model._meta.concrete_fields}:
        return False
    probe = "probe <name>"
    return str(model(name=probe)) == probe


class NameChoices:
    """A model choice list's options read as (value, name) pairs instead of model instances.

    The same options in the same order as ``ModelChoiceIterator`` (one query, when
    rendered); a list of a thousand technologies no longer builds a thousand rows.
    """

    def __init__(self, field):
        self.field = field
        self.options = None

    def __iter__(self):
        if self.options is None:
            field = self.field
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            self.options = empty + list(field.queryset.values_list(field.to_field_name or "pk", "name"))
        return iter(self.options)


def _value_label(field, value, cleaned):
    if isinstance(field, forms.ModelChoiceField):
        return str(cleaned) if cleaned else value
    if isinstance(field, forms.NullBooleanField):
        return BOOLEAN_LABELS.get(value, value)
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices if not isinstance(label, list | tuple)}
        return labels.get(value, value)
    return value


def active_filters(request, filterset):
    """One removable chip per filter value in the URL: its label, value and the URL without it."""
    form = filterset.form
    cleaned = getattr(form, "cleaned_data", {})
    chips = []
    for name, field in form.fields.items():
        values = [v for v in request.GET.getlist(name) if v.strip()]
        for value in values:
            if isinstance(field, forms.NullBooleanField) and value not in ("true", "false") and name not in form.errors:
                continue
            remaining = request.GET.copy()
            remaining.setlist(name, [v for v in values if v != value])
            remaining.pop("page", None)
            query = remaining.urlencode()
            chips.append(
                {
                    "name": name,
                    "label": field.label,
                    "value": _value_label(field, value, cleaned.get(name)),
                    "remove_url": f"{request.path}?{query}" if query else request.path,
                    "invalid": name in form.errors,
                }
            )
    return chips


def with_latest_deal_precision(organizations):
    """Annotate ``latest_deal_precision``: how much of ``latest_deal_on`` is known.

    The latest deal received and the latest made are looked up separately (each
    subquery uses its own index; one OR-ed subquery is many times slower).
    """
    newest_first = (F("announced_on").desc(nulls_last=True), "-pk")
    received = Investment.objects.filter(recipient=OuterRef("pk")).order_by(*newest_first)
    made = Investment.objects.filter(investororganization__organization=OuterRef("pk")).order_by(*newest_first)
    return organizations.annotate(
        received_on=Subquery(received.values("announced_on")[:1]),
        received_precision=Subquery(received.values("date_precision")[:1]),
        made_on=Subquery(made.values("announced_on")[:1]),
        made_precision=Subquery(made.values("date_precision")[:1]),
        latest_deal_precision=Case(
            When(Q(received_on__isnull=True) | Q(made_on__gt=F("received_on")), then=F("made_precision")),
            default=F("received_precision"),
        ),
    )


def recently_active_organization_ids(count, window=RECENT_DEALS):
    """The pks of the ``count`` organizations with the latest deals, and of those tied with them.

    Ordering every organization by its latest deal computes the statistics of all of
    them; the most recently active are the parties of the latest deals, which the
    index on ``announced_on`` finds at once (two queries). Exact as long as the
    ``window`` latest dated deals (and those on the same day as the last of them)
    involve ``count`` organizations.
    """
    dated = Investment.objects.filter(announced_on__isnull=False).order_by(F("announced_on").desc())
    # The window's oldest date (with fewer deals than the window, every deal), looked up
    # first: with the date as a value the database plans for a few rows, not a third.
    since = dated.values_list("announced_on", flat=True)[window - 1 : window].first() or datetime.date.min
    recent = Investment.objects.filter(announced_on__gte=since).order_by()
    parties = (
        recent.values_list("announced_on", "recipient_id")
        .union(
            InvestorOrganization.objects.filter(investment__in=recent).values_list(
                "investment__announced_on", "organization_id"
            ),
            all=True,
        )
        .order_by()
    )
    latest = {}
    for announced_on, organization_id in parties:
        if organization_id is not None and announced_on > latest.get(organization_id, datetime.date.min):
            latest[organization_id] = announced_on
    dates = sorted(latest.values(), reverse=True)
    if len(dates) <= count:
        return list(latest)
    return [pk for pk, announced_on in latest.items() if announced_on >= dates[count - 1]]


class FilteredListView(FilterView):
    """A listing driven by a FilterSet: 400 with the form's errors on a bad value,
    404 for a page past the end, removable chips for the active filters."""

    paginate_by = PAGE_SIZE
    text_input_filters = ()
    filter_labels = {}
    strict = True

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        adapt_filter_form(filterset.form, self.text_input_filters, self.filter_labels)
        return filterset

    def get(self, request, *args, **kwargs):
        # The form sends every control, filled or not; drop the empty ones so the
        # address is short enough to share. Nothing else about the query changes.
        if any("" in values for _, values in request.GET.lists()):
            kept = request.GET.copy()
            for key, values in request.GET.lists():
                kept.setlist(key, [value for value in values if value != ""])
            query = kept.urlencode()
            return redirect(f"{request.path}?{query}" if query else request.path)
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active_filters"] = active_filters(self.request, self.filterset)
        context["result_count"] = context["paginator"].count
        return context


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
            .select_related("author")
            .prefetch_related("topics")[: self.article_count]
        )
        context["lead"] = articles[0] if articles else None
        context["articles"] = articles[1:]
        context["deals"] = (
            Investment.objects.select_related("recipient")
            .prefetch_related("investors", "investor_people")
            .order_by(F("announced_on").desc(nulls_last=True), "-id")[: self.deal_count]
        )
        context["organizations"] = (
            with_latest_deal_precision(Organization.objects.with_deal_stats())
            .filter(pk__in=recently_active_organization_ids(self.organization_count), latest_deal_on__isnull=False)
            .prefetch_related(Prefetch("stakes", queryset=TechnologyStake.objects.select_related("technology")))
            .order_by(F("latest_deal_on").desc(), "name")[: self.organization_count]
        )
        return context


class SearchGroup:
    """One kind of result on /search/: where its rows come from and its listing."""

    def __init__(self, key, heading, noun, queryset, listing, limit=5):
        self.key, self.heading, self.noun, self.listing, self.limit = key, heading, noun, listing, limit
        self.queryset = queryset

    def search(self, query):
        """The group's count (no row scored) and its first rows by relevance; only
        the rows shown are highlighted."""
        queryset = self.queryset()
        fields = document_for(queryset.model).fields
        count = filter_by_text(queryset, query, fields, rank=False).count()
        ranked = filter_by_text(queryset, query, fields)
        results = list(with_snippets(ranked, query)[: self.limit]) if count else []
        for result in results:
            result.search_snippet = snippet(result, query)
        return {
            "key": self.key,
            "heading": self.heading,
            "noun": self.noun,
            "count": count,
            "results": results,
            "see_all_url": f"{reverse(self.listing)}?{urlencode({'q': query})}",
        }


SEARCH_GROUPS = [
    SearchGroup(
        "articles",
        "Articles",
        "article",
        lambda: Article.objects.published().select_related("author"),
        "articles:article_list",
        limit=10,
    ),
    SearchGroup(
        "organizations", "Organizations", "organization", Organization.objects.all, "organizations:organization_list"
    ),
    SearchGroup("people", "People", "person", Person.objects.all, "organizations:person_list"),
    SearchGroup("technologies", "Technologies", "technology", Technology.objects.all, "organizations:technology_list"),
    SearchGroup(
        "deals", "Deals", "deal", lambda: Investment.objects.select_related("recipient"), "investments:investment_list"
    ),
]


class SearchView(TemplateView):
    """/search/?q=: published articles, organizations, people, technologies and deals,
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
