"""Confidence in words and the self-claim filters: a reader can tell how sure a claim is."""

import pytest
from django.template import Context, Template

from articles.templatetags.provenance import claim_hedge_text
from articles.tests.factories import ArticleFactory, SourceFactory
from investments.filters import InvestmentFilter
from investments.tests.factories import InvestmentFactory
from lenrnews.models import Confidence
from organizations.filters import AffiliationFilter, TechnologyStakeFilter
from organizations.tests.factories import AffiliationFactory, TechnologyStakeFactory

pytestmark = pytest.mark.django_db


def render(template, **context):
    return Template("{% load provenance %}" + template).render(Context(context)).strip()


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (Confidence.CONFIRMED, ""),
        (Confidence.REPORTED, "reported by HydroFusion"),
        (Confidence.RUMORED, "unconfirmed"),
        (Confidence.DISPUTED, "disputed"),
        (Confidence.DENIED, "denied"),
    ],
)
def test_hedge_follows_the_confidence(level, expected):
    deal = InvestmentFactory(confidence=level)
    deal.sources.add(SourceFactory(publisher="HydroFusion"))
    assert claim_hedge_text(deal) == expected
    html = render("{% claim_hedge deal %}", deal=deal)
    if expected:
        assert f'class="hedge hedge--{level}">{expected}</span>' in html
    else:
        assert html == ""


def test_reported_names_who_said_it_before_the_publisher():
    deal = InvestmentFactory(confidence=Confidence.REPORTED)
    deal.sources.add(SourceFactory(publisher="E-Cat World", attributed_to="HydroFusion"))
    deal.sources.add(SourceFactory(publisher="Vortex-L"))
    assert claim_hedge_text(deal) in ("reported by HydroFusion, Vortex-L", "reported by Vortex-L, HydroFusion")


def test_reported_without_sources_still_hedges():
    assert claim_hedge_text(InvestmentFactory(confidence=Confidence.REPORTED)) == "reported"


def test_a_claim_resting_only_on_its_subject_is_flagged():
    stake = TechnologyStakeFactory(confidence=Confidence.CONFIRMED)
    stake.sources.add(SourceFactory(self_claim=True, publisher="Leonardo Corporation"))
    assert claim_hedge_text(stake) == "(self-claim)"
    assert "flag--self-claim" in render("{% claim_hedge stake %}", stake=stake)
    stake.sources.add(SourceFactory(self_claim=False))
    assert claim_hedge_text(stake) == ""


def test_source_shows_who_said_it_and_its_chain():
    vortex = SourceFactory(publisher="Vortex-L")
    ecw = SourceFactory(publisher="E-Cat World", via=vortex)
    statement = SourceFactory(
        publisher="Infinite Energy", attributed_to="Marianne Macy", via=ecw, confidence=Confidence.RUMORED
    )
    assert claim_hedge_text(statement) == "unconfirmed"
    html = render("{% source_provenance source %}", source=statement)
    assert "Said by Marianne Macy" in html
    assert "Vortex-L -&gt; E-Cat World -&gt; Infinite Energy -&gt; this article" in html


def test_article_page_sources_carry_their_hedge_and_chain(client):
    article = ArticleFactory()
    article.sources.add(SourceFactory(publisher="HydroFusion", confidence=Confidence.RUMORED, self_claim=True))
    relay = SourceFactory(
        publisher="E-Cat World", via=SourceFactory(publisher="Vortex-L"), attributed_to="Marianne Macy"
    )
    article.sources.add(relay)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "unconfirmed" in html and "self-claim" in html
    assert "Came through: Vortex-L -&gt; E-Cat World -&gt; this article" in html
    assert "Marianne Macy" in html


@pytest.mark.parametrize(
    ("filterset", "factory"),
    [
        (InvestmentFilter, InvestmentFactory),
        (AffiliationFilter, AffiliationFactory),
        (TechnologyStakeFilter, TechnologyStakeFactory),
    ],
)
def test_claim_listings_filter_by_self_claim_and_min_confidence(filterset, factory):
    own_word = factory(confidence=Confidence.REPORTED)
    own_word.sources.add(SourceFactory(self_claim=True))
    independent = factory(confidence=Confidence.RUMORED)
    independent.sources.add(SourceFactory(self_claim=False))
    model = own_word.__class__
    queryset = model.objects.all()

    def rows(**params):
        fs = filterset(params, queryset=queryset)
        assert fs.is_valid(), fs.errors
        return set(fs.qs)

    assert rows(self_claim="true") == {own_word}
    assert rows(self_claim="false") == {independent}
    assert rows(min_confidence="reported") == {own_word}
    assert rows(min_confidence="rumored") == {own_word, independent}
    assert not filterset({"self_claim": "perhaps"}, queryset=queryset).is_valid()


def test_deal_page_says_who_reported_it(client):
    deal = InvestmentFactory(confidence=Confidence.REPORTED)
    deal.sources.add(SourceFactory(publisher="E-Cat World", attributed_to="HydroFusion", self_claim=True))
    html = client.get(deal.get_absolute_url()).content.decode()
    assert '<span class="hedge hedge--reported">reported by HydroFusion</span>' in html
    assert "self-claim" in html
