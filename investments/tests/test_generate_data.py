"""generate_data: the sizes asked for, the same data for the same seed, and data the models accept."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from articles.models import Article, OrganizationMention, Source, Topic
from investments.models import Investment, InvestorOrganization, RecipientOrganization
from lenrnews.markdown import render_markdown
from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake

SMALL = {
    "organizations": 40,
    "people": 60,
    "technologies": 20,
    "sources": 50,
    "articles": 50,
    "investments": 60,
    "stakes": 45,
    "affiliations": 50,
}


def generate(seed=7, clear=True, **sizes):
    options = {**SMALL, **sizes}
    args = [f"--{name}={value}" for name, value in options.items()]
    if clear:
        args.append("--clear")
    call_command("generate_data", *args, f"--seed={seed}", "--noinput", verbosity=0)


def snapshot():
    """What a reader would see of the generated data, without database ids or run times."""
    return {
        "organizations": list(Organization.objects.order_by("slug").values_list("slug", "kind", "country", "founded")),
        "people": list(Person.objects.order_by("slug").values_list("slug", "country")),
        "technologies": list(Technology.objects.order_by("slug").values_list("slug", "approach", "stage")),
        "articles": list(Article.objects.order_by("slug").values_list("slug", "status", "body")),
        "mentions": sorted(OrganizationMention.objects.values_list("article__slug", "organization__slug")),
        "deals": list(
            Investment.objects.order_by("slug").values_list("slug", "amount", "currency", "amount_usd", "announced_on")
        ),
        "investors": sorted(InvestorOrganization.objects.values_list("investment__slug", "organization__slug")),
        "recipients": sorted(RecipientOrganization.objects.values_list("investment__slug", "organization__slug")),
        "stakes": sorted(TechnologyStake.objects.values_list("organization__slug", "technology__slug", "kind")),
        "sources": sorted(Source.objects.values_list("title", "publisher", "via__title")),
    }


@pytest.mark.django_db
def test_generates_the_sizes_asked_for():
    generate()

    assert Organization.objects.count() == 40
    assert Person.objects.count() == 60
    assert Technology.objects.count() == 20
    assert Source.objects.count() == 50
    assert Article.objects.count() == 50
    assert Investment.objects.count() == 60
    assert TechnologyStake.objects.count() == 45
    assert Affiliation.objects.count() == 50
    assert Topic.objects.exists()


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate(seed=11)
    first = snapshot()
    generate(seed=11)
    assert snapshot() == first
    generate(seed=12)
    assert snapshot()["articles"] != first["articles"]


@pytest.mark.django_db
def test_clear_replaces_and_no_clear_adds_with_fresh_slugs():
    generate(seed=3)
    generate(seed=3, clear=False)

    assert Organization.objects.count() == 80
    assert Article.objects.count() == 100
    # The second run made the same names: their slugs were made unique, not reused.
    assert Organization.objects.values("slug").distinct().count() == 80

    generate(seed=3)
    assert Organization.objects.count() == 40
    assert Article.objects.count() == 50


@pytest.mark.django_db
def test_generated_data_keeps_the_models_rules():
    generate(investments=120, stakes=80, affiliations=100, articles=80)

    for organization in Organization.objects.exclude(founded=None).exclude(dissolved=None):
        assert organization.founded <= organization.dissolved
    for affiliation in Affiliation.objects.exclude(start=None).exclude(end=None):
        assert affiliation.end >= affiliation.start
    assert (
        not TechnologyStake.objects.values("organization", "technology", "kind").annotate(n=Count("id")).filter(n__gt=1)
    )
    deals = Investment.objects.all()
    assert not deals.filter(amount__lt=0).exists()
    assert not deals.filter(amount_usd__lt=0).exists()
    assert not deals.filter(currency="USD").exclude(amount_usd=F("amount")).exclude(amount=None).exists()
    assert not deals.filter(amount=None).exclude(amount_usd=None).exists()
    assert deals.exclude(currency="USD").exclude(amount=None).exists(), "deals in several currencies"
    for deal in deals.exclude(currency="USD").exclude(amount=None):
        assert deal.amount_usd is not None and deal.amount_usd > Decimal(0)
    years = [d.year for d in deals.exclude(announced_on=None).values_list("announced_on", flat=True)]
    assert 1989 <= min(years) and max(years) <= 2026
    assert set(deals.values_list("date_precision", flat=True)) == {"day", "month", "year"}
    assert deals.filter(investors__isnull=False).exists()
    assert deals.filter(recipients__isnull=False).exists()
    assert not deals.filter(recipientorganization__organization=F("investororganization__organization")).exists()


@pytest.mark.django_db
def test_articles_read_like_articles_and_name_what_they_mention():
    generate(articles=60)

    statuses = set(Article.objects.values_list("status", flat=True))
    assert {Article.Status.PUBLISHED, Article.Status.DRAFT, Article.Status.REVIEW} <= statuses
    published = Article.objects.published()
    assert published.count() > Article.objects.count() // 2
    for article in Article.objects.prefetch_related("organizations", "people", "technologies"):
        words = len(article.body.split())
        assert 300 <= words <= 1500, words
        assert article.body_html == render_markdown(article.body)
        entities = [*article.organizations.all(), *article.people.all(), *article.technologies.all()]
        assert article.organizations.exists()
        for entity in entities:
            assert entity.name in article.body
        if article.status == Article.Status.DRAFT:
            assert article not in published


@pytest.mark.django_db
def test_sources_come_through_chains():
    generate(sources=60)

    relayed = Source.objects.exclude(via=None)
    assert relayed.exists()
    assert Source.objects.exclude(via=None).exclude(via__via=None).exists(), "chains of three"
    for source in relayed.select_related("via"):
        assert source.via.published_on <= source.published_on
        assert " -> " in source.chain_display


@pytest.mark.django_db
def test_a_size_of_zero_for_what_everything_needs_is_refused():
    with pytest.raises(CommandError, match="organizations"):
        generate(organizations=0)
    with pytest.raises(CommandError, match="negative"):
        generate(articles=-1)


@pytest.mark.django_db
def test_generated_data_is_found_by_search(client):
    """bulk_create skips save(); on PostgreSQL the trigger fills the stored vectors anyway."""
    from django.db import connection

    from lenrnews.search import filter_by_text

    generate()
    organization = Organization.objects.order_by("pk").first()
    article = Article.objects.published().filter(organizations=organization).first()
    if connection.vendor == "postgresql":
        for model in (Article, Organization, Person, Technology, Investment):
            assert not model.objects.filter(search_vector__isnull=True).exists(), model
    assert organization in filter_by_text(Organization.objects.all(), organization.name, ["name"])
    word = article.title.split()[-1]
    assert article in filter_by_text(Article.objects.published(), f'"{article.title}"', ["title"])
    groups = {g["key"]: g for g in client.get("/search/", {"q": word}).context["groups"]}
    assert groups["articles"]["count"] >= 1
