"""Public pages of deals and events."""

from django.db.models import F, Prefetch
from django.views.generic import DetailView

from articles.models import Article, Source
from lenrnews.listing import FilteredListView
from organizations.models import TechnologyStake

from .charts import money_chart
from .filters import EventFilter, InvestmentFilter
from .models import Event, EventOrganization, EventPerson, Investment
from .selectors import DEAL_CARD_PREFETCHES, PARTY_ROW_PREFETCHES, deal_cards, deal_summary, deal_totals, totals_of


def query_with(request, **changes):
    """The current query string with some parameters replaced (a list value sets several, None removes)."""
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query.setlist(name, value if isinstance(value, list) else [str(value)])
    return query.urlencode()


def kind_toggles(request, path):
    """Links that add or remove one kind of deal from the ``kind`` filter, the rest of the query kept."""
    chosen = [kind for kind in request.GET.getlist("kind") if kind in Investment.Kind.values]

    def url(kinds):
        query = query_with(request, kind=kinds or None)
        return f"{path}?{query}" if query else path

    toggles = [{"label": "All kinds", "on": not chosen, "url": url([])}]
    for value, label in Investment.Kind.choices:
        kinds = [k for k in chosen if k != value] if value in chosen else [*chosen, value]
        toggles.append({"label": label, "on": value in chosen, "url": url(kinds)})
    return toggles


class InvestmentListView(FilteredListView):
    filterset_class = InvestmentFilter
    api_basename = "investment"
    facets = {"kind": "kind", "confidence": "confidence", "status": "status"}
    template_name = "investments/investment_list.html"
    text_input_filters = ("investor", "recipient")
    # The money chart above the deals (benchmarks/charts.py measures the page without it).
    show_chart = True

    def get_queryset(self):
        return deal_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.show_chart and not self.filterset.errors:
            # One query for both: the totals are the sum of the chart's groups.
            groups = deal_summary(self.object_list, "year")
            context["totals"] = totals_of(groups)
            context["money_chart"] = self.chart(groups)
            context["kind_toggles"] = kind_toggles(self.request, self.request.path)
        else:
            context["totals"] = deal_totals(self.object_list)
        return context

    def chart(self, groups):
        request, path = self.request, self.request.path

        def link(year, level):
            query = query_with(request, year_min=year, year_max=year, confidence=level, min_confidence=None)
            return f"{path}?{query}"

        return money_chart(
            groups,
            id="money-chart",
            title="Disclosed US dollars per year" + (" (filtered)" if self.request.GET else ""),
            link=link,
        )


class InvestmentDetailView(DetailView):
    template_name = "investments/investment_detail.html"
    context_object_name = "deal"

    def get_queryset(self):
        events = Event.objects.order_by(F("occurred_on").asc(nulls_last=True), "pk")
        return Investment.objects.select_related("status_event").prefetch_related(
            *DEAL_CARD_PREFETCHES,
            *PARTY_ROW_PREFETCHES,
            Prefetch("events", queryset=events),
            Prefetch("sources", queryset=Source.objects.select_related("publisher_organization", "via__via__via")),
            Prefetch("reported_in", queryset=Article.objects.published().defer("body", "body_html").with_bylines()),
            Prefetch("stakes", queryset=TechnologyStake.objects.select_related("organization", "technology")),
        )


def event_cards():
    """Events with what an event row shows: its parties, deals and technologies."""
    return Event.objects.prefetch_related("organizations", "people", "investments", "technologies")


class EventListView(FilteredListView):
    filterset_class = EventFilter
    api_basename = "event"
    facets = {"kind": "kind", "confidence": "confidence"}
    template_name = "investments/event_list.html"
    text_input_filters = ("party", "technology", "deal")

    def get_queryset(self):
        return event_cards().order_by(F("occurred_on").desc(nulls_last=True), "-pk")


class EventDetailView(DetailView):
    template_name = "investments/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.prefetch_related(
            Prefetch("eventorganization_set", queryset=EventOrganization.objects.select_related("organization")),
            Prefetch("eventperson_set", queryset=EventPerson.objects.select_related("person")),
            "organizations",
            "people",
            Prefetch("investments", queryset=deal_cards()),
            "technologies",
            Prefetch("sources", queryset=Source.objects.select_related("publisher_organization", "via__via__via")),
            Prefetch("reported_in", queryset=Article.objects.published().defer("body", "body_html").with_bylines()),
        )
