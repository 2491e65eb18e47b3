"""Public pages of organizations, technologies and people.

They show articles, deals and events, which live in the apps above this one: articles
are looked up by name in the app registry and start from ``Article.objects.published()``;
deals and events come from ``investments.selectors``, imported inside the functions that
read them (pyproject.toml's import-linter contract lists those imports).

Stakes and roles are shown in two parts, current and former (``split_current``), and
profile facts with the sources cited for them (``{% cite %}``).
"""

from django.apps import apps
from django.db.models import Prefetch
from django.views.generic import DetailView
from django_countries import countries

from lenrnews.listing import FilteredListView
from lenrnews.worldmap import country_map

from .filters import OrganizationFilter, PersonFilter, TechnologyFilter
from .models import (
    Affiliation,
    Organization,
    OrganizationCitation,
    Person,
    PersonCitation,
    Technology,
    TechnologyCitation,
    TechnologyStake,
    split_current,
)

ARTICLE_COUNT = 20
# Entity pages show the latest deals; the listing, filtered by the entity, has them all.
DEAL_COUNT = 50
EVENT_COUNT = 50


def _published_articles():
    # The cards show no body; it is the bulk of an article row.
    return (
        apps.get_model("articles", "Article")
        .objects.published()
        .defer("body", "body_html")
        .with_bylines()
        .prefetch_related("topics")
    )


def _sources():
    return apps.get_model("articles", "Source").objects.select_related("via__via__via")


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


def _profile_citations(citation_model):
    """The sources cited for a profile's facts, in the order their marks are numbered."""
    return Prefetch("citations", queryset=citation_model.objects.select_related("source__via__via__via"))


def _latest_events():
    from investments.selectors import event_rows

    return Prefetch("events", queryset=event_rows()[:EVENT_COUNT], to_attr="latest_events")


class EntityDetailView(DetailView):
    """A detail page whose stakes or roles are shown current and former apart, with the entity's events.

    ``ending`` names the prefetched claims it splits: ``("stakes",)`` gives ``current_stakes``
    and ``former_stakes``.
    """

    ending: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for relation in self.ending:
            current, former = split_current(getattr(self.object, relation).all())
            context[f"current_{relation}"], context[f"former_{relation}"] = current, former
        context["more_events"] = len(self.object.latest_events) == EVENT_COUNT
        context["event_limit"] = EVENT_COUNT
        return context


class OrganizationListView(FilteredListView):
    filterset_class = OrganizationFilter
    api_basename = "organization"
    facets = {"kind": "kind", "country": "country"}
    template_name = "organizations/organization_list.html"
    filter_labels = {"approach": "Technology approach"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_country = getattr(self, "facet_rows", {}).get("country")
        if by_country is not None:
            query = self.request.GET.copy()
            query.pop("page", None)

            def link(code):
                query.setlist("country", [code])
                return f"{self.request.path}?{query.urlencode()}"

            counts = {code: n for code, n in by_country.items() if code}
            context["country_map"] = country_map(counts, link)
            context["country_counts"] = sorted(
                ((countries.name(code), code, n, link(code)) for code, n in counts.items()), key=lambda row: -row[2]
            )
        return context

    def get_queryset(self):
        from investments.selectors import organization_deal_summary

        return (
            organization_deal_summary(Organization.objects.all())
            .select_related("logo")
            .prefetch_related(
                Prefetch(
                    "stakes",
                    queryset=TechnologyStake.objects.select_related("technology").order_by("technology__name", "kind"),
                )
            )
            .order_by("name", "pk")
        )


class OrganizationDetailView(EntityDetailView):
    template_name = "organizations/organization_detail.html"
    context_object_name = "organization"
    ending = ("stakes", "affiliations")

    def get_queryset(self):
        from investments.selectors import organization_deal_summary

        return (
            organization_deal_summary(Organization.objects.all())
            .select_related("parent", "logo")
            .prefetch_related(
                "subsidiaries",
                Prefetch("stakes", queryset=_stakes().order_by("technology__name", "kind")),
                Prefetch(
                    "affiliations",
                    queryset=Affiliation.objects.select_related("person").order_by("person__name", "start"),
                ),
                Prefetch("articles", queryset=_published_articles()[:ARTICLE_COUNT], to_attr="public_articles"),
                _profile_citations(OrganizationCitation),
                _latest_events(),
            )
        )

    def get_context_data(self, **kwargs):
        from investments.selectors import organization_deals

        context = super().get_context_data(**kwargs)
        organization = self.object
        # Made and received in one query (and one set of prefetches), split here.
        deals = list(organization_deals(organization, limit=DEAL_COUNT))
        context["more_deals"] = len(deals) == DEAL_COUNT
        context["deal_limit"] = DEAL_COUNT
        context["deals_received"] = [
            deal for deal in deals if any(recipient.pk == organization.pk for recipient in deal.recipients.all())
        ]
        context["deals_made"] = [
            deal for deal in deals if any(investor.pk == organization.pk for investor in deal.investors.all())
        ]
        return context


class TechnologyListView(FilteredListView):
    filterset_class = TechnologyFilter
    api_basename = "technology"
    facets = {"approach": "approach", "stage": "stage"}
    template_name = "organizations/technology_list.html"
    text_input_filters = ("holder",)

    def get_queryset(self):
        return Technology.objects.prefetch_related(
            "inventors",
            Prefetch("stakes", queryset=TechnologyStake.objects.select_related("organization")),
        ).order_by("name", "pk")


class TechnologyDetailView(EntityDetailView):
    template_name = "organizations/technology_detail.html"
    context_object_name = "technology"
    ending = ("stakes",)

    def get_queryset(self):
        from investments.selectors import deal_cards

        return Technology.objects.prefetch_related(
            "inventors",
            Prefetch("stakes", queryset=_stakes().order_by("organization__name", "kind")),
            Prefetch("investments", queryset=deal_cards()[:DEAL_COUNT], to_attr="latest_deals"),
            Prefetch("articles", queryset=_published_articles()[:ARTICLE_COUNT], to_attr="public_articles"),
            _profile_citations(TechnologyCitation),
            _latest_events(),
        )


class PersonListView(FilteredListView):
    filterset_class = PersonFilter
    api_basename = "person"
    facets = {"country": "country"}
    template_name = "organizations/person_list.html"
    text_input_filters = ("organization",)
    filter_labels = {"role": "Role"}

    def get_queryset(self):
        return (
            Person.objects.select_related("portrait")
            .prefetch_related(Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")))
            .order_by("name", "pk")
        )


class PersonDetailView(EntityDetailView):
    template_name = "organizations/person_detail.html"
    context_object_name = "person"
    ending = ("affiliations",)

    def get_queryset(self):
        from investments.selectors import deal_cards

        return Person.objects.select_related("portrait").prefetch_related(
            Prefetch("affiliations", queryset=_affiliations().order_by("start", "organization__name")),
            "inventions",
            Prefetch("investments_made", queryset=deal_cards()[:DEAL_COUNT], to_attr="latest_deals"),
            Prefetch("articles", queryset=_published_articles()[:ARTICLE_COUNT], to_attr="public_articles"),
            _profile_citations(PersonCitation),
            _latest_events(),
        )
