"""Public pages of deals."""

from django.db.models import Prefetch, Sum
from django.views.generic import DetailView

from articles.models import Article, Source
from lenrnews.views import FilteredListView
from organizations.models import TechnologyStake

from .filters import InvestmentFilter
from .models import Investment


class InvestmentListView(FilteredListView):
    filterset_class = InvestmentFilter
    template_name = "investments/investment_list.html"
    text_input_filters = ("investor", "recipient")

    def get_queryset(self):
        return Investment.objects.select_related("recipient").prefetch_related(
            "investors", "investor_people", "technologies"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["total_usd"] = self.object_list.aggregate(total=Sum("amount_usd"))["total"]
        return context


class InvestmentDetailView(DetailView):
    template_name = "investments/investment_detail.html"
    context_object_name = "deal"

    def get_queryset(self):
        return Investment.objects.select_related("recipient").prefetch_related(
            "investors",
            "investor_people",
            "technologies",
            Prefetch("sources", queryset=Source.objects.select_related("publisher_organization", "via__via__via")),
            Prefetch(
                "reported_in", queryset=Article.objects.published().defer("body", "body_html").select_related("author")
            ),
            Prefetch("stakes", queryset=TechnologyStake.objects.select_related("organization", "technology")),
        )
