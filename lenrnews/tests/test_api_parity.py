"""The same query string gives the same rows on a listing page and in the API.

For every listing page the rows compared are the ones the page renders (its
``page_obj``), page by page; for resources without a page (affiliations, stakes,
sources, topics) the API is compared with its FilterSet applied directly.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from articles.filters import SourceFilter, TopicFilter
from articles.models import Source, Topic
from articles.tests.factories import ArticleFactory, SourceFactory, TopicFactory
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.api_support import API, client_for, draft, scheduled
from lenrnews.tests.module_rows import rows_for_the_module
from organizations.filters import AffiliationFilter, TechnologyStakeFilter
from organizations.models import Affiliation, TechnologyStake
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def field(django_db_setup, django_db_blocker):
    """A small world with enough rows (over one page of 20) and variety for every filter, built once."""
    yield from rows_for_the_module(django_db_blocker, build_field)


def build_field():
    countries = ["US", "CN", "IT", "JP", "SE"]
    kinds = ["company", "investor", "research_lab", "government", "technology_park"]
    approaches = ["ni_h", "pd_d", "plasma", "gas_loading"]
    stages = ["concept", "laboratory", "prototype", "commercial"]
    confidences = ["confirmed", "reported", "rumored", "disputed", "denied"]
    source_kinds = ["press_release", "news_report", "journal_paper", "court_filing", "blog_post"]
    ended = datetime.date(2019, 6, 1)
    topics = [TopicFactory(name=f"Topic {n}", slug=f"topic-{n}") for n in range(3)]
    technologies = [
        TechnologyFactory(name=f"Reactor {n:02d}", slug=f"reactor-{n}", approach=approaches[n % 4], stage=stages[n % 4])
        for n in range(24)
    ]
    organizations = [
        OrganizationFactory(
            name=f"Company {n:02d}",
            slug=f"company-{n}",
            kind=kinds[n % 5],
            country=countries[n % 5],
            founded=1990 + n,
            summary="Nickel hydrogen" if n % 3 == 0 else "Palladium",
        )
        for n in range(30)
    ]
    people = [PersonFactory(name=f"Person {n:02d}", slug=f"person-{n}", country=countries[n % 5]) for n in range(24)]
    for n, person in enumerate(people):
        AffiliationFactory(person=person, organization=organizations[n], role=["ceo", "founder", "inventor"][n % 3],
                           confidence=confidences[n % 5], end=ended if n % 6 == 5 else None)  # fmt: skip
    for n, technology in enumerate(technologies):
        TechnologyStakeFactory(organization=organizations[n], technology=technology, confidence=confidences[n % 5],
                               kind=["owner", "developer", "licensee"][n % 3],
                               until=ended if n % 6 == 5 else None, until_unknown=n % 6 == 4)  # fmt: skip
    for n in range(26):
        deal = InvestmentFactory(
            title=f"Deal {n:02d}",
            slug=f"deal-{n}",
            kind=["equity", "license", "grant"][n % 3],
            recipients=[organizations[n]],
            investors=[organizations[(n + 1) % 30]],
            amount=Decimal(1000 * (n + 1)) if n % 4 else None,
            announced_on=datetime.date(2010 + n % 8, 1 + n % 12, 1),
            confidence=confidences[n % 5],
        )
        deal.technologies.add(technologies[n % 24])
        # Even deals rest on their recipient's own word.
        speaker = organizations[n] if n % 2 == 0 else None
        deal.sources.add(SourceFactory(title=f"Source {n}", kind=source_kinds[n % 5], speaker_organization=speaker))
    for n in range(25):
        published = datetime.datetime(2015 + n % 3, 1 + n % 12, 2, tzinfo=datetime.UTC)
        article = ArticleFactory(title=f"Story {n:02d}", slug=f"story-{n}", publish_at=published)
        article.topics.add(topics[n % 3])
        article.organizations.add(organizations[n % 7])
        article.people.add(people[n % 5])
        article.technologies.add(technologies[n % 4])
    for slug in ("draft-story", "scheduled-story"):
        hidden = draft(slug=slug) if slug == "draft-story" else scheduled(slug=slug)
        hidden.topics.add(topics[0])
        hidden.organizations.add(organizations[0])


def page_rows(client, url, params, page):
    response = client.get(url, {**params, "page": page})
    assert response.status_code == 200, (url, params, response.status_code)
    return [row.slug for row in response.context["page_obj"].object_list]


def api_rows(client, resource, params, page, key="slug"):
    response = client.get(f"{API}{resource}/", {**params, "page": page})
    assert response.status_code == 200, (resource, params, response.content)
    return [row[key] for row in response.json()["results"]]


LISTINGS = [
    ("/articles/", "articles", {}),
    ("/articles/", "articles", {"topic": "topic-0"}),
    ("/articles/", "articles", {"organization": "company-0", "ordering": "title"}),
    ("/articles/", "articles", {"year": "2016", "month": "2"}),
    ("/articles/", "articles", {"q": "Story", "ordering": "-date"}),
    ("/articles/", "articles", {"person": "person-1", "technology": "reactor-1"}),
    ("/organizations/", "organizations", {}),
    ("/organizations/", "organizations", {"kind": ["company", "investor"], "country": "US"}),
    ("/organizations/", "organizations", {"technology": "reactor-3"}),
    ("/organizations/", "organizations", {"approach": "ni_h", "stake": "owner", "min_confidence": "reported"}),
    ("/organizations/", "organizations", {"approach": "plasma", "current": "false"}),
    ("/organizations/", "organizations", {"stake": "developer", "current": "any"}),
    ("/organizations/", "organizations", {"has_deals": "true", "ordering": "-total_raised"}),
    ("/organizations/", "organizations", {"founded_min": "1995", "founded_max": "2010", "ordering": "-founded"}),
    ("/organizations/", "organizations", {"q": "nickel", "ordering": "latest_deal"}),
    ("/technologies/", "technologies", {}),
    ("/technologies/", "technologies", {"approach": ["ni_h", "plasma"], "stage": "concept"}),
    ("/technologies/", "technologies", {"holder": "company-2", "ordering": "-name"}),
    ("/technologies/", "technologies", {"country": "CN", "ordering": "stage"}),
    ("/technologies/", "technologies", {"country": ["JP", "US"], "current": "false"}),
    ("/people/", "people", {}),
    ("/people/", "people", {"organization": "company-4", "role": "founder"}),
    ("/people/", "people", {"role": "inventor", "current": "false"}),
    ("/people/", "people", {"country": ["US", "IT"], "ordering": "-name", "q": "Person"}),
    ("/investments/", "investments", {}),
    ("/investments/", "investments", {"kind": "equity", "confidence": ["confirmed", "rumored"]}),
    ("/investments/", "investments", {"min_confidence": "reported", "self_claim": "false"}),
    ("/investments/", "investments", {"self_claim": "true", "ordering": "title"}),
    ("/investments/", "investments", {"status": "announced", "active_in": "2014"}),
    ("/investments/", "investments", {"year_min": "2012", "year_max": "2015", "ordering": "-amount"}),
    ("/investments/", "investments", {"amount_min": "3000", "amount_max": "20000", "ordering": "amount"}),
    ("/investments/", "investments", {"investor": "company-3", "recipient": "company-2"}),
    ("/investments/", "investments", {"technology": "reactor-5", "country": "US", "q": "Deal"}),
]


@pytest.mark.parametrize("page_url, resource, params", LISTINGS)
def test_listing_page_and_api_give_the_same_rows(field, page_url, resource, params):
    client = client_for()
    first_page = page_rows(client, page_url, params, 1)
    assert first_page, "each case should match some rows"
    assert first_page == api_rows(client, resource, params, 1)
    page_count = client.get(page_url, params).context["paginator"].num_pages
    if page_count > 1:
        assert page_rows(client, page_url, params, 2) == api_rows(client, resource, params, 2)
    assert client.get(f"{API}{resource}/", {**params, "page": page_count + 1}).status_code == 404
    assert client.get(page_url, {**params, "page": page_count + 1}).status_code == 404
    total = client.get(f"{API}{resource}/", params).json()["count"]
    assert total == client.get(page_url, params).context["paginator"].count


def test_a_topic_page_and_the_api_topic_filter_give_the_same_rows(field):
    client = client_for()
    for params in ({}, {"q": "Story 1"}, {"year": "2015"}):
        assert page_rows(client, "/topics/topic-0/", params, 1) == api_rows(
            client, "articles", {**params, "topic": "topic-0"}, 1
        )


def test_drafts_are_on_neither_side(field):
    client = client_for()
    rows = page_rows(client, "/articles/", {"topic": "topic-0"}, 1) + api_rows(
        client, "articles", {"topic": "topic-0"}, 1
    )
    assert "draft-story" not in rows and "scheduled-story" not in rows


API_ONLY = [
    ("affiliations", AffiliationFilter, Affiliation.objects.all(), {"organization": "company-3"}),
    ("affiliations", AffiliationFilter, Affiliation.objects.all(),
     {"role": ["ceo", "inventor"], "min_confidence": "rumored"}),
    ("stakes", TechnologyStakeFilter, TechnologyStake.objects.all(), {"kind": "owner", "confidence": "rumored"}),
    ("stakes", TechnologyStakeFilter, TechnologyStake.objects.all(), {"technology": "reactor-7"}),
    ("stakes", TechnologyStakeFilter, TechnologyStake.objects.all(), {"current": "false"}),
    ("affiliations", AffiliationFilter, Affiliation.objects.all(), {"current": "true", "role": "founder"}),
    ("sources", SourceFilter, Source.objects.all(), {"kind": ["press_release", "journal_paper"]}),
    ("sources", SourceFilter, Source.objects.all(), {"speaker": "company-4", "ordering": "title"}),
    ("topics", TopicFilter, Topic.objects.all(), {"q": "topic 1"}),
]  # fmt: skip


@pytest.mark.parametrize("resource, filterset_class, queryset, params", API_ONLY)
def test_api_only_lists_give_their_filtersets_rows(field, resource, filterset_class, queryset, params):
    filterset = filterset_class(QueryDict(urlencode(params, doseq=True)), queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    expected = sorted(row.pk for row in filterset.qs)
    response = client_for().get(f"{API}{resource}/", {**params, "page_size": 100})
    key = "slug" if resource == "topics" else "id"
    got = [row[key] for row in response.json()["results"]]
    if key == "slug":
        got = sorted(Topic.objects.filter(slug__in=got).values_list("pk", flat=True))
    assert sorted(got) == expected
    assert expected, "the fixture should give each case some rows"
