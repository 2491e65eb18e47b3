"""Confidence in words, self-claims per claim and their filters: a reader can tell how sure a claim is."""

import pytest
from django.template import Context, Template

from articles.models import Source
from articles.templatetags.provenance import claim_hedge_text
from articles.tests.factories import ArticleFactory, SourceFactory
from investments.filters import InvestmentFilter
from investments.models import Investment
from investments.tests.factories import InvestmentFactory
from lenrnews.models import Confidence
from organizations.filters import AffiliationFilter, TechnologyStakeFilter
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyStakeFactory,
)

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
    leonardo = OrganizationFactory(name="Leonardo Corporation")
    stake = TechnologyStakeFactory(organization=leonardo, confidence=Confidence.CONFIRMED)
    own_word = SourceFactory(publisher="Leonardo Corporation", speaker_organization=leonardo)
    stake.sources.add(own_word)
    assert claim_hedge_text(stake) == "(self-claim)"
    assert "flag--self-claim" in render("{% claim_hedge stake %}", stake=stake)
    stake.sources.add(SourceFactory())
    assert claim_hedge_text(stake) == ""


def test_a_source_is_a_self_claim_only_for_the_claims_its_speaker_is_a_party_of():
    leonardo = OrganizationFactory(name="Leonardo Corporation")
    rossi = PersonFactory(name="Andrea Rossi")
    press_release = SourceFactory(kind=Source.Kind.PRESS_RELEASE, publisher_organization=leonardo)
    interview = SourceFactory(kind=Source.Kind.INTERVIEW, speaker_person=rossi)
    own_stake = TechnologyStakeFactory(organization=leonardo, confidence=Confidence.CONFIRMED)
    other_stake = TechnologyStakeFactory(confidence=Confidence.CONFIRMED)
    role = AffiliationFactory(person=rossi, organization=OrganizationFactory(), confidence=Confidence.CONFIRMED)
    for claim in (own_stake, other_stake, role):
        claim.sources.add(press_release, interview)

    assert press_release.is_self_claim_for(*own_stake.party_ids()), "its publisher speaks for itself"
    assert not press_release.is_self_claim_for(*other_stake.party_ids())
    assert interview.is_self_claim_for(*role.party_ids()), "Rossi on his own role"
    assert not interview.is_self_claim_for(*own_stake.party_ids())
    template = (
        "{% for s in claim.sources.all %}{% if s|self_claim_for:claim %}{{ s.get_kind_display }};{% endif %}"
        "{% endfor %}"
    )
    assert render(template, claim=own_stake) == "Press release;"
    assert render(template, claim=other_stake) == ""
    assert render(template, claim=role) == "Interview;"
    assert claim_hedge_text(own_stake) == claim_hedge_text(role) == "", "one of the two sources is independent"


def test_source_shows_who_said_it_and_its_chain(client):
    vortex = SourceFactory(publisher="Vortex-L", via_text="Chinese original\nmachine translation")
    ecw = SourceFactory(publisher="E-Cat World", via=vortex)
    statement = SourceFactory(publisher="Infinite Energy", attributed_to="Marianne Macy", via=ecw)
    assert (
        statement.chain_display
        == "Chinese original -> machine translation -> Vortex-L -> E-Cat World -> Infinite Energy"
    )
    article = ArticleFactory()
    article.sources.add(statement)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Said by: Marianne Macy" in html
    assert (
        "Came through: Chinese original -&gt; machine translation -&gt; Vortex-L -&gt; E-Cat World -&gt; "
        "Infinite Energy -&gt; this article" in html
    )


def test_article_page_sources_carry_their_kind_and_chain(client):
    """A source's kind tells a reader what it is; an article has no parties, so no source is a self-claim for it."""
    heat = OrganizationFactory(name="Industrial Heat")
    article = ArticleFactory()
    article.sources.add(
        SourceFactory(publisher="HydroFusion", kind=Source.Kind.PRESS_RELEASE, speaker_organization=heat)
    )
    article.sources.add(SourceFactory(publisher="Physics Letters B", kind="journal_paper", doi="10.1016/j.x.2010.1"))
    relay = SourceFactory(
        publisher="E-Cat World", via=SourceFactory(publisher="Vortex-L"), attributed_to="Marianne Macy"
    )
    article.sources.add(relay)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Press release" in html and "Journal paper" in html
    assert 'href="https://doi.org/10.1016/j.x.2010.1"' in html
    assert "flag--self-claim" not in html
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
    [party, *_] = own_word.party_ids()[0]
    own_statement = SourceFactory(speaker_organization_id=party)
    own_word.sources.add(own_statement)
    independent = factory(confidence=Confidence.RUMORED)
    # The same statement is independent for a claim its speaker is no party of.
    independent.sources.add(own_statement)
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


def test_the_self_claim_filter_knows_people_and_recipients():
    darden, park = PersonFactory(name="Tom Darden"), OrganizationFactory(name="Baishishan park")
    by_an_investor = InvestmentFactory(investor_people=[darden], recipients=[])
    by_a_recipient = InvestmentFactory(recipients=[park])
    neither = InvestmentFactory()
    by_an_investor.sources.add(SourceFactory(speaker_person=darden))
    by_a_recipient.sources.add(SourceFactory(publisher_organization=park))
    neither.sources.add(SourceFactory(speaker_person=darden))

    fs = InvestmentFilter({"self_claim": "true"}, queryset=Investment.objects.all())
    assert set(fs.qs) == {by_an_investor, by_a_recipient}


def test_deal_page_says_who_reported_it(client):
    deal = InvestmentFactory(confidence=Confidence.REPORTED)
    [recipient] = deal.recipients.all()
    deal.sources.add(
        SourceFactory(publisher="E-Cat World", attributed_to="HydroFusion", speaker_organization=recipient)
    )
    html = client.get(deal.get_absolute_url()).content.decode()
    assert '<span class="hedge hedge--reported">reported by HydroFusion</span>' in html
    assert "self-claim" in html
