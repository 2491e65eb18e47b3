import itertools
from functools import reduce
from operator import or_

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.tests.factories import ArticleFactory
from investments.models import Event, Investment
from investments.selectors import organization_deal_stats
from lenrnews.search import (
    COUNT_LIMIT,
    RANKED_CANDIDATES,
    count_matches,
    document_for,
    filter_by_text,
    parse_query,
    query_terms,
    snippet,
    split_query,
)
from lenrnews.tests.query_counts import queries_with_1_and_50_rows
from organizations.models import Organization, Person, Technology
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory
from portal.views import SEARCH_GROUPS

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    '"',
    '"unclosed phrase',
    "&|!:*()",
    "!!!",
    "a & b | !c",
    "foo:*",
    "(((",
    "-",
    "or",
    "-or -",
    "'",
    "\u00fcnicode \u6c5f\u82cf \U0001f525",
    "Rossi\x00s",
    "\x00",
    "   ",
    "x" * 501,
    "word " * 200,
    "%_%",
    "\\",
    "<script>alert(1)</script>",
    # FTS5's and tsquery's own syntax, which a reader's words must never be read as.
    "NEAR(",
    "NEAR(a b, 2)",
    "AND",
    "OR NOT",
    "a AND OR b",
    "NOT a",
    "title:heat",
    "{title}: heat",
    "^heat",
    '"a" + "b"',
    "heat* *",
    "a'b\"c",
    "x" * 1000,
    "e" * 64 + " " + "\u00e9" * 200,
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd \u0928\u092e\u0938\u094d\u0924\u0947",
    "\u200b\ufeff\u0301",
]


def slugs(queryset):
    return [row.slug for row in queryset]


# Searchable, but with no listing page yet for a group's "all results" link: their group comes with it.
WITHOUT_A_LISTING_YET: set = set()


def test_the_search_page_has_a_group_for_every_searchable_model():
    # A proxy (a Trash list) is its model's table, searched with it.
    searchable = {model for model in apps.get_models() if document_for(model) and not model._meta.proxy}
    assert WITHOUT_A_LISTING_YET <= searchable
    searchable -= WITHOUT_A_LISTING_YET
    assert [group.queryset().model for group in SEARCH_GROUPS] == [
        Article,
        Organization,
        Person,
        Technology,
        Investment,
        Event,
    ]
    assert {group.queryset().model for group in SEARCH_GROUPS} == searchable


def test_baishishan_finds_the_article_the_park_and_the_deal(world, client):
    response = client.get("/search/", {"q": "Baishishan"})
    assert response.status_code == 200
    groups = {g["key"]: g for g in response.context["groups"]}
    assert slugs(groups["articles"]["results"]) == ["industrial-heat-china"]
    assert slugs(groups["organizations"]["results"]) == ["baishishan-park"]
    assert slugs(groups["deals"]["results"]) == ["industrial-heat-baishishan"]
    assert groups["articles"]["count"] == 1
    html = response.content.decode()
    assert "Industrial Heat signs deal to transfer LENR technology to China" in html
    assert 'href="/organizations/?q=Baishishan"' in html
    assert 'href="/articles/?q=Baishishan"' in html
    assert 'href="/investments/?q=Baishishan"' in html
    assert "See it in the organization listing" in html
    assert "badge--reported" in html.split('id="results-deals"')[1]  # a deal shows how sure we are


def test_see_all_links_into_the_filtered_listing_with_the_count(client):
    for n in range(7):
        OrganizationFactory(name=f"Nickel Works {n}")
    response = client.get("/search/", {"q": "nickel works"})
    (group,) = [g for g in response.context["groups"] if g["key"] == "organizations"]
    assert group["count"] == 7
    assert len(group["results"]) == 5
    html = response.content.decode()
    assert '<a href="/organizations/?q=nickel+works">See all 7 organizations →</a>' in html
    listing = client.get("/organizations/", {"q": "nickel works"})
    assert listing.context["paginator"].count == 7


def test_e_cat_finds_the_technology(world, client):
    response = client.get("/search/", {"q": "E-Cat"})
    groups = {g["key"]: g for g in response.context["groups"]}
    assert slugs(groups["technologies"]["results"]) == ["e-cat"]


def test_possessive_finds_the_person(world, client):
    for query in ["Rossi's", "Rossi\u2019s", "rossi"]:
        response = client.get("/search/", {"q": query})
        groups = {g["key"]: g for g in response.context["groups"]}
        assert "andrea-rossi" in slugs(groups["people"]["results"]), query


def test_part_of_a_name_or_an_alias_matches(world):
    assert slugs(filter_by_text(Organization.objects.all(), "Baishi", ["name"])) == ["baishishan-park"]
    assert slugs(filter_by_text(Organization.objects.all(), "Heat LLC", ["name"])) == ["industrial-heat"]
    assert slugs(filter_by_text(Technology.objects.all(), "catalyzer", ["name"])) == ["e-cat"]
    assert slugs(filter_by_text(Person.objects.all(), "Dard", ["name"])) == ["tom-darden"]


def test_drafts_review_and_scheduled_articles_never_appear(world, client):
    response = client.get("/search/", {"q": "Baishishan"})
    html = response.content.decode()
    for hidden in ("secret", "audit", "Scheduled"):
        assert hidden not in html
    response = client.get("/search/", {"q": "secret"})
    assert response.context["total"] == 0


def test_published_at_its_time_the_scheduled_article_is_found(world, client):
    import time_machine

    with time_machine.travel(world.scheduled.publish_at, tick=False):
        response = client.get("/search/", {"q": "opens"})
    groups = {g["key"]: g for g in response.context["groups"]}
    assert slugs(groups["articles"]["results"]) == ["scheduled-baishishan"]


def test_title_hits_rank_above_standfirst_above_body():
    body = ArticleFactory(title="Weekly news", standfirst="Other things.", body="The word palladium is here.")
    standfirst = ArticleFactory(title="Monthly news", standfirst="All about palladium.", body="Nothing.")
    title = ArticleFactory(title="Palladium loading results", standfirst="Results.", body="Nothing.")
    found = filter_by_text(Article.objects.published(), "palladium", ["title"])
    assert slugs(found) == [title.slug, standfirst.slug, body.slug]


def test_name_hits_rank_above_summary_hits():
    in_summary = OrganizationFactory(name="Acme", summary="Works on Brillouin reactors.")
    in_name = OrganizationFactory(name="Brillouin Energy", summary="A company.")
    assert slugs(filter_by_text(Organization.objects.all(), "Brillouin", ["name"])) == [in_name.slug, in_summary.slug]


def test_every_word_must_match(world):
    assert slugs(filter_by_text(Organization.objects.all(), "Industrial Heat", ["name"])) == ["industrial-heat"]
    assert slugs(filter_by_text(Organization.objects.all(), "Industrial zebra", ["name"])) == []


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_never_fail(world, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    for model in (Article, Organization, Person, Technology, Investment):
        list(filter_by_text(model.objects.all(), query, ["slug"]))


def listing_filters():
    from articles.filters import ArticleFilter, SourceFilter
    from articles.models import Source
    from investments.filters import InvestmentFilter
    from organizations.filters import OrganizationFilter, PersonFilter, TechnologyFilter

    return [
        (ArticleFilter, Article.objects.published()),
        (OrganizationFilter, organization_deal_stats(Organization.objects.all())),
        (PersonFilter, Person.objects.all()),
        (TechnologyFilter, Technology.objects.all()),
        (InvestmentFilter, Investment.objects.all()),
        (SourceFilter, Source.objects.all()),
    ]


@pytest.mark.parametrize("query", ["&|!:*()", '"', "x" * 600, "\u00fcnicode \U0001f525", "Rossi's", "-or"])
def test_listing_q_filters_take_odd_queries(world, query):
    for filterset_class, queryset in listing_filters():
        filterset = filterset_class(data={"q": query}, queryset=queryset)
        assert filterset.is_valid(), filterset.errors
        list(filterset.qs)


def test_listing_q_filters_find_what_search_finds(world, client):
    search = {g["key"]: g for g in client.get("/search/", {"q": "Baishishan"}).context["groups"]}
    found = {}
    for filterset_class, queryset in listing_filters():
        found[queryset.model._meta.model_name] = slugs(filterset_class(data={"q": "Baishishan"}, queryset=queryset).qs)
    assert found["organization"] == slugs(search["organizations"]["results"]) == ["baishishan-park"]
    assert found["article"] == slugs(search["articles"]["results"]) == ["industrial-heat-china"]
    assert found["investment"] == slugs(search["deals"]["results"]) == ["industrial-heat-baishishan"]
    response = client.get("/articles/", {"q": "Baishishan"})
    assert slugs(response.context["object_list"]) == ["industrial-heat-china"]


@pytest.mark.parametrize("query", ["!!!", "&|!:*()", '""', "-", "\x00"])
def test_a_query_without_words_searches_nothing(world, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert response.context["groups"] == []
    # A listing treats it as no text filter, the same on every database.
    assert filter_by_text(Organization.objects.all(), query, ["name"]).count() == Organization.objects.count()


def test_a_long_query_is_shortened_with_a_notice(world, client):
    response = client.get("/search/", {"q": "Baishishan " + "x" * 600})
    assert response.status_code == 200
    assert len(response.context["query"]) == 500
    assert "only the first 500 were used" in response.content.decode()


def test_empty_query_shows_the_form_without_searching(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/search/", {"q": "  "})
    assert response.status_code == 200
    assert response.context["groups"] == []


def test_snippets_mark_the_words_and_escape_the_text(client):
    ArticleFactory(
        title="A note",
        standfirst="",
        body="Before <script>alert('x')</script> the palladium cell ran & stopped.",
    )
    response = client.get("/search/", {"q": "palladium"})
    html = response.content.decode()
    assert "<mark>palladium</mark>" in html
    # PostgreSQL's headline drops the tag, the SQLite snippet escapes it: never markup.
    assert "<script" not in html
    assert "cell ran &amp; stopped" in html


def test_snippet_never_lets_markup_through():
    article = ArticleFactory(body='**Bold** claim: <img src=x onerror="alert(1)"> palladium')
    html = str(snippet(article, "palladium"))
    assert "<img" not in html
    assert "<mark>palladium</mark>" in html
    assert "**" not in html


def test_query_terms_drop_possessives_and_punctuation():
    assert query_terms("Rossi's E-Cat!") == ["Rossi", "E-Cat"]
    assert query_terms("&|!:*()") == []
    assert query_terms("a\x00b") == ["ab"]


def _search(client, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_search_runs_a_fixed_number_of_queries(client):
    numbers = itertools.count()

    def grow(count):
        for n in itertools.islice(numbers, count):
            ArticleFactory(title=f"Nickel story {n}")
            OrganizationFactory(name=f"Nickel Works {n}")

    (_, one), (_, many) = queries_with_1_and_50_rows(grow, _search, client, "nickel")
    assert one == many
    assert many <= 12


def test_minus_excludes_a_word_and_or_is_not_a_word(world):
    found = slugs(filter_by_text(Organization.objects.all(), "Industrial -park", ["name"]))
    assert found == ["industrial-heat"]
    assert slugs(filter_by_text(Organization.objects.all(), "Industrial -Heat", ["name"])) == []
    assert "baishishan-park" not in slugs(filter_by_text(Organization.objects.all(), "-Baishishan", ["name"]))
    assert slugs(filter_by_text(Person.objects.all(), "Rossi or", ["name"])) == ["andrea-rossi"]


def test_quoted_phrase_finds_the_article(world):
    found = filter_by_text(Article.objects.published(), '"technology park"', ["title"])
    assert slugs(found) == ["industrial-heat-china"]


def test_listing_q_keeps_the_listings_order(client):
    """A listing filtered by text is still newest first (or A to Z), not by relevance:
    /search/ ranks, a listing only narrows."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    older = ArticleFactory(title="Palladium loading results", publish_at=now - timedelta(days=2))
    newer = ArticleFactory(title="Weekly news", body="The word palladium is here.", publish_at=now - timedelta(days=1))
    response = client.get("/articles/", {"q": "palladium"})
    assert slugs(response.context["object_list"]) == [newer.slug, older.slug]
    search = {g["key"]: g for g in client.get("/search/", {"q": "palladium"}).context["groups"]}
    assert slugs(search["articles"]["results"]) == [older.slug, newer.slug]
    OrganizationFactory(name="Acme", summary="Works on Brillouin reactors.")
    OrganizationFactory(name="Brillouin Energy", summary="A company.")
    listing = client.get("/organizations/", {"q": "Brillouin"})
    assert [o.name for o in listing.context["object_list"]] == ["Acme", "Brillouin Energy"]


PAGES = ["/", "/articles/", "/organizations/", "/people/", "/technologies/", "/investments/", "/search/?q=Baishishan"]


@pytest.mark.parametrize("url", PAGES + ["/api/v1/articles/", "/api/v1/organizations/", "/api/v1/investments/"])
def test_pages_never_load_the_stored_vectors(world, client, url):
    """Only the database reads an article's search_vector (kilobytes per article); no
    page copies it out. (Rows joined with select_related still bring their entity's
    small vector along.)"""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # The columns each query selects (a rank computed from the vector is not the vector).
    selected = [q["sql"].split(" FROM ")[0].split(", ") for q in queries.captured_queries]
    assert not [columns for columns in selected if '"articles_article"."search_vector"' in columns], url
    organizations = [columns for columns in selected if columns[0] == 'SELECT "organizations_organization"."id"']
    assert not [columns for columns in organizations if '"organizations_organization"."search_vector"' in columns]


def like_search(queryset, query, fields=None):
    """What search found before it was full-text on SQLite: every word of the query
    somewhere in the searched fields (``icontains``), no ``-word`` anywhere."""
    fields = fields or document_for(queryset.model).fields
    terms, excluded = split_query(query)
    for term in terms:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)))
    for term in excluded:
        queryset = queryset.exclude(reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)))
    return set(slugs(queryset))


SEARCHED = [
    lambda: Article.objects.published(),
    lambda: Organization.objects.all(),
    lambda: Person.objects.all(),
    lambda: Technology.objects.all(),
    lambda: Investment.objects.all(),
]

# Whole words, several words, punctuation, -word and quoted phrases: what the LIKE
# search found, full-text search finds too.
AS_BEFORE = [
    "Baishishan",
    "baishishan",
    "BAISHISHAN PARK",
    "Industrial Heat",
    "Industrial, Heat!",
    "E-Cat",
    "e-cat",
    "Rossi's",
    "Rossi\u2019s",
    "rossi",
    "Heat LLC",
    "catalyzer",
    "nickel-hydrogen",
    "palladium",
    "Cherokee",
    "Darden Cherokee",
    "Industrial -park",
    "Industrial -Heat",
    "-Baishishan",
    "technology China",
    '"technology park"',
    '"Cherokee Partners"',
    "IH",
    "$121 million",
    "20 October 2015",
]


@pytest.fixture
def corpus(world):
    """The seed's world, and rows that tell a word from part of a word and a name from text."""
    OrganizationFactory(name="Brillouin Energy", slug="brillouin-energy", summary="Hot tubes.")
    OrganizationFactory(name="Acme", slug="acme", summary="Licenses Brillouin reactors.")
    OrganizationFactory(name="Palladium Labs", slug="palladium-labs", description="Loading palladium with deuterium.")
    TechnologyFactory(name="Nickel-hydrogen cell", slug="ni-h-cell", summary="A nickel-hydrogen reactor.")
    PersonFactory(name="Jean Palladium", slug="jean-palladium", bio="Not a metal.")
    ArticleFactory(
        title="Palladium loading results", slug="palladium-loading", standfirst="Results.", body="Nothing more."
    )
    ArticleFactory(title="Weekly news", slug="weekly", standfirst="", body="Darden visits Cherokee Partners.")
    return world


@pytest.mark.parametrize("query", AS_BEFORE)
def test_full_text_search_finds_what_the_like_search_found(corpus, query):
    for queryset in SEARCHED:
        expected = like_search(queryset(), query)
        assert set(slugs(filter_by_text(queryset(), query, ["slug"], rank=False))) == expected, query
        assert set(slugs(filter_by_text(queryset(), query, ["slug"]))) == expected, query
        assert count_matches(queryset(), query, ["slug"]) == len(expected), query


@pytest.mark.parametrize("query", ["Baishi", "Dard", "Brillou", "Industrial He", "Cheroke", "E-Ca", "Energy Cat"])
def test_names_and_aliases_match_by_their_start_as_before(corpus, query):
    """Part of a word is matched in names: what the LIKE search found in them."""
    for queryset in SEARCHED:
        names = document_for(queryset().model).name_fields
        found = set(slugs(filter_by_text(queryset(), query, ["slug"])))
        assert found >= like_search(queryset(), query, names), query
        assert found <= like_search(queryset(), query), query


def test_a_quoted_phrase_needs_its_words_together(corpus):
    assert slugs(filter_by_text(Person.objects.all(), '"Tom Darden"', ["name"])) == ["tom-darden"]
    assert slugs(filter_by_text(Person.objects.all(), '"Darden Tom"', ["name"])) == []
    assert slugs(filter_by_text(Article.objects.published(), '"Partners CEO"', ["title"])) == ["industrial-heat-china"]


def test_or_offers_alternatives(corpus):
    found = slugs(filter_by_text(Organization.objects.all(), "Cherokee or Brillouin", ["name"], rank=False))
    assert sorted(found) == ["acme", "brillouin-energy", "cherokee-partners"]


def test_words_are_stemmed_as_on_postgresql(corpus):
    """ "reactors" finds "reactor" and the other way round; the LIKE search found only the longer word."""
    assert set(slugs(filter_by_text(Technology.objects.all(), "reactors", ["name"]))) == {"e-cat", "ni-h-cell"}
    assert "acme" in slugs(filter_by_text(Organization.objects.all(), "reactor", ["name"]))


def test_part_of_a_word_matches_in_names_only(corpus):
    """ "Brillou" finds the company of that name, not text that mentions it."""
    assert slugs(filter_by_text(Organization.objects.all(), "Brillou", ["name"])) == ["brillouin-energy"]


def test_a_body_full_of_the_word_ranks_below_a_title_with_it():
    body = ArticleFactory(title="Weekly news", standfirst="Other.", body="Palladium, palladium, palladium. " * 20)
    title = ArticleFactory(title="Palladium prices", standfirst="Other.", body="Nothing.")
    assert slugs(filter_by_text(Article.objects.published(), "palladium", ["title"])) == [title.slug, body.slug]


def test_a_name_hit_ranks_first_however_many_newer_rows_mention_the_word():
    named = OrganizationFactory(name="Zirconium Works", summary="Makes tubes.")
    Organization.objects.bulk_create(
        Organization(name=f"Lab {n}", slug=f"lab-{n}", description="We use zirconium tubes.")
        for n in range(RANKED_CANDIDATES + 20)
    )
    ranked = filter_by_text(Organization.objects.all(), "zirconium", ["name"])
    assert slugs(ranked[:5])[0] == named.slug
    assert count_matches(Organization.objects.all(), "zirconium", ["name"], at_most=1000) == RANKED_CANDIDATES + 21


def test_past_the_count_limit_the_page_says_more_than(client):
    Organization.objects.bulk_create(
        Organization(name=f"Hafnium Lab {n}", slug=f"hafnium-lab-{n}") for n in range(COUNT_LIMIT + 1)
    )
    response = client.get("/search/", {"q": "hafnium"})
    (group,) = [g for g in response.context["groups"] if g["key"] == "organizations"]
    assert (group["count"], group["more"]) == (COUNT_LIMIT, True)
    html = response.content.decode()
    assert f"More than {COUNT_LIMIT} results for <strong>hafnium</strong>." in html
    assert f"Organizations ({COUNT_LIMIT}+)" in html
    assert "See all organizations →" in html
    assert len(group["results"]) == 5


def test_trashed_rows_are_never_found(world, client):
    world.deal.trash()
    assert slugs(filter_by_text(Investment.objects.all(), "Baishishan", ["title"])) == []
    groups = {g["key"]: g for g in client.get("/search/", {"q": "Baishishan"}).context["groups"]}
    assert groups["deals"]["count"] == 0
    world.deal.restore()
    assert slugs(filter_by_text(Investment.objects.all(), "Baishishan", ["title"])) == [world.deal.slug]


def test_an_edit_a_bulk_update_and_a_delete_reach_the_index(world):
    article = ArticleFactory(title="Nickel news", body="About nickel.")
    article.title, article.body = "Copper news", "About copper."
    article.save()
    assert slugs(filter_by_text(Article.objects.published(), "copper", ["title"])) == [article.slug]
    assert slugs(filter_by_text(Article.objects.published(), "nickel", ["title"])) == []
    Organization.objects.filter(slug="baishishan-park").update(summary="Renamed: zirconium campus.")
    assert slugs(filter_by_text(Organization.objects.all(), "zirconium", ["name"])) == ["baishishan-park"]
    Article.objects.bulk_create([Article(title="Bulk palladium", slug="bulk", body="Deuterium.", status="published")])
    assert slugs(filter_by_text(Article.objects.all(), "deuterium", ["title"])) == ["bulk"]
    world.cherokee.delete()
    assert slugs(filter_by_text(Organization.objects.all(), "Cherokee", ["name"])) == []


def test_snippets_come_from_the_text_not_the_names(world, client):
    response = client.get("/search/", {"q": "Baishishan"})
    groups = {g["key"]: g for g in response.context["groups"]}
    (article,) = groups["articles"]["results"]
    assert "<mark>Baishishan</mark>" in article.search_snippet
    assert "Industrial Heat LLC the company" not in article.search_snippet or "<mark>" in article.search_snippet


def test_the_query_reads_as_websearch_reads_it():
    parsed = parse_query('Rossi\'s "E-Cat  device" -Darden or x or y Heat or')
    assert [[p.tokens for p in group] for group in parsed.groups] == [
        [("Rossi",)],
        [("E", "Cat", "device")],
        [("x",), ("y",)],
        [("Heat",)],
    ]
    assert [[p.text for p in group] for group in parsed.groups][1] == ["E-Cat device"]
    assert [p.tokens for p in parsed.excluded] == [("Darden",)]
    assert parse_query("&|!:*() _ \U0001f525").groups == ()
    assert len(parse_query("word " * 50).groups) == 10
