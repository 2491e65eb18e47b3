"""Public pages of organizations, technologies and people.

Articles shown on them start from ``Article.objects.published()``; deals are looked
up through the ``investments`` app's models lazily (it depends on this app).
"""

from django.apps import apps
from django.db.models import Prefetch
from django.views.generic import DetailView

from lenrnews.views import FilteredListView, with_latest_deal_precision

from .filters import OrganizationFilter, PersonFilter, TechnologyFilter
from .models import Affiliation, Organization, Person, Technology, TechnologyStake

ARTICLE_COUNT = 20
# Entity pages show the latest deals; the listing, filtered by the entity, has them all.
DEAL_COUNT = 50


def _published_articles():
    # The cards show no body; it is the bulk of an article row.
    return (
        apps.get_model("articles", "Article")
        .objects.published()
        .defer("body", "body_html")
        .select_related("author")
        .prefetch_related("topics")
    )


def _sources():
    return apps.get_model("articles", "Source").objects.select_related("via__via__via")


def _deals():
    return (
        apps.get_model("investments", "Investment")
        .objects.select_related("recipient")
        .prefetch_related("investors", "investor_people", "technologies")
    )


def _claim_citations():
    """A claim's sources, and the published articles of ours that report it."""
    reports = apps.get_model("articles", "Article").objects.published().only("title", "slug", "publish_at")
    return [
        Prefetch("sources", queryset=_sources()),
        Prefetch("reported_in", queryset=reports, to_attr="public_reports"),
    ]


def _stakes():
    return TechnologyStake.objects.select_related("technology", "organization", "investment").prefetch_related(
        *_claim_citations()
    )


def _affiliations():
    return Affiliation.objects.select_related("person", "organization").prefetch_related(*_claim_citations())


class OrganizationListView(FilteredListView):
    filterset_class = OrganizationFilter
    template_name = "organizations/organization_list.html"
    filter_labels = {"approach": "Technology approach"}

    def get_queryset(self):
        return (
            with_latest_deal_precision(Organization.objects.with_deal_stats())
            .prefetch_related(
                Prefetch(
                    "stakes",
                    queryset=TechnologyStake.objects.select_related("technology").order_by("technology__name", "kind"),
                )
            )
            .order_by("name", "pk")
        )


class OrganizationDetailView(DetailView):
    template_name = "organizations/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return (
            with_latest_deal_precision(Organization.objects.with_deal_stats())
            .select_related("parent")
            .prefetch_related(
                "subsidiaries",
                Prefetch("stakes", queryset=_stakes().order_by("technology__name", "kind")),
                Prefetch(
                    "affiliations",
                    queryset=Affiliation.objects.select_related("person").order_by("person__name", "start"),
                ),
                Prefetch("articles", queryset=_published_articles()[:ARTICLE_COUNT], to_attr="public_articles"),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        # Made and received in one query (and one set of prefetches), split here. Their
        # ids come from a UNION of two index lookups: a join on investors needs DISTINCT,
        # and an OR makes the database read every deal.
        investment = apps.get_model("investments", "Investment")
        investor_row = apps.get_model("investments", "InvestorOrganization")
        ids = (
            investment.objects.filter(recipient=organization)
            .order_by()
            .values("pk")
            .union(investor_row.objects.filter(organization=organization).order_by().values("investment"))
        )
        deals = list(_deals().filter(pk__in=ids)[:DEAL_COUNT])
        context["more_deals"] = len(deals) == DEAL_COUNT
        context["deal_limit"] = DEAL_COUNT
        context["deals_received"] = [deal for deal in deals if deal.recipient_id == organization.pk]
        context["deals_made"] = [
            deal for deal in deals if any(investor.pk == organization.pk for investor in deal.investors.all())
        ]
        return context


class TechnologyListView(FilteredListView):
    filterset_class = TechnologyFilter
    template_name = "organizations/technology_list.html"
    text_input_filters = ("holder",)

    def get_queryset(self):
        return Technology.objects.prefetch_related(
            "inventors",
            Prefetch("stakes", queryset=TechnologyStake.objects.select_related("organization")),
        ).order_by("name", "pk")


class TechnologyDetailView(DetailView):
    template_name = "organizations/technology_detail.html"
    context_object_name = "technology"

    def get_queryset(self):
        return Technology.objects.prefetch_related(
            "inventors",
            Prefetch("stakes", queryset=_stakes().order_by("organization__name", "kind")),
            Prefetch("investments", queryset=_deals()[:DEAL_COUNT], to_attr="latest_deals"),
            Prefetch("articles", queryset=_published_articles()[:ARTICLE_COUNT], to_attr="public_articles"),
        )


class PersonListView(FilteredListView):
    filterset_class = PersonFilter
    template_name = "organizations/person_list.html"
    text_input_filters = ("organization",)
    filter_labels = {"role": "Role"}

    def get_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization"))
        ).order_by("name", "pk")


class PersonDetailView(DetailView):
    template_name = "organizations/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch("affiliations", queryset=_affiliations().order_by("start", "organization__name")),
            "inventions",
            Prefetch("investments_made", queryset=_deals()[:DEAL_COUNT], to_attr="latest_deals"),
            Prefetch("articles", queryset=_published_articles()[:ARTICLE_COUNT], to_attr="public_articles"),
        )
