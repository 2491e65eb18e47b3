"""Shared names link the right entity, or none: detection needs evidence in the text, and
the public page never links a name left ambiguous. Variants of a name (plurals, spaces
and hyphens) are the same name."""

import pytest

from articles.mentions import (
    Match,
    MentionMatcher,
    article_add_mention,
    article_detect_mentions,
    article_link_mentions,
    article_reject_mention,
    resolve_mentions,
)
from articles.models import AmbiguousMention
from articles.tests.factories import ArticleFactory
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def field():
    """Two Leonardos and two Woodfords, with the relations the database knows."""
    rossi = PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi")
    leonardo_corp = OrganizationFactory(
        name="Leonardo Corporation", slug="leonardo-corporation", aliases="Leonardo\nLeonardo Corp"
    )
    leonardo_spa = OrganizationFactory(name="Leonardo S.p.A.", slug="leonardo-spa", aliases="Leonardo\nLeonardo SpA")
    finmeccanica = OrganizationFactory(name="Finmeccanica", slug="finmeccanica")
    AffiliationFactory(person=rossi, organization=leonardo_corp)
    ecat = TechnologyFactory(name="E-Cat", slug="e-cat", aliases="Energy Catalyzer")
    TechnologyStakeFactory(organization=leonardo_corp, technology=ecat)
    fund = OrganizationFactory(
        name="Woodford Investment Management", slug="woodford-investment-management", aliases="Woodford\nWIM"
    )
    neil = PersonFactory(name="Neil Woodford", slug="neil-woodford", aliases="Woodford")
    AffiliationFactory(person=neil, organization=fund)
    return {
        "rossi": rossi,
        "leonardo_corp": leonardo_corp,
        "leonardo_spa": leonardo_spa,
        "finmeccanica": finmeccanica,
        "ecat": ecat,
        "fund": fund,
        "neil": neil,
    }


def slugs(article):
    return (
        {o.slug for o in article.organizations.all()}
        | {p.slug for p in article.people.all()}
        | {t.slug for t in article.technologies.all()}
    )


def ambiguous(article):
    return {
        row.name: {entity.slug for entity in row.candidates}
        for row in AmbiguousMention.objects.filter(article=article).order_by("name")
    }


def detect(body, title="Plain"):
    article = ArticleFactory(title=title, standfirst="", body=body)
    article_detect_mentions(article=article)
    return article


# --- Evidence -------------------------------------------------------------------------


def test_a_shared_name_without_evidence_is_ambiguous_and_links_nothing(field):
    article = detect("Leonardo announced results on Tuesday.")
    assert slugs(article) == set()
    assert ambiguous(article) == {"Leonardo": {"leonardo-corporation", "leonardo-spa"}}
    row = AmbiguousMention.objects.get(article=article)
    assert "Leonardo announced results" in row.excerpt


def test_another_of_its_names_in_the_text_decides(field):
    article = detect("Leonardo Corp filed the papers. Leonardo said it would appeal.")
    assert slugs(article) == {"leonardo-corporation"}
    assert ambiguous(article) == {}


def test_a_related_entity_nearby_decides(field):
    """Rossi founded Leonardo Corporation: in an article about Rossi, "Leonardo" is his company."""
    article = detect("Andrea Rossi said Leonardo would deliver the plant.")
    assert slugs(article) == {"andrea-rossi", "leonardo-corporation"}
    assert ambiguous(article) == {}


def test_a_related_technology_decides_too(field):
    article = detect("Leonardo showed the E-Cat to the press.")
    assert slugs(article) == {"leonardo-corporation", "e-cat"}


def test_a_related_entity_far_away_is_no_evidence(field):
    filler = " ".join(["The weather was mild and the trains ran on time."] * 30)
    article = detect(f"Rossi spoke first. {filler} Leonardo, the defence group, reported.")
    assert slugs(article) == {"andrea-rossi"}
    assert set(ambiguous(article)) == {"Leonardo"}


def test_woodford_is_the_man_when_the_text_names_him(field):
    article = detect("Neil Woodford backed the deal. Woodford said he was confident.")
    assert slugs(article) == {"neil-woodford"}
    assert ambiguous(article) == {}


def test_woodford_is_the_fund_when_the_text_names_it(field):
    article = detect("WIM invested in the company. Woodford holds a stake.")
    assert slugs(article) == {"woodford-investment-management"}


def test_no_evidence_or_as_much_for_each_is_ambiguous(field):
    article = detect("Woodford backed the deal.")
    assert set(ambiguous(article)) == {"Woodford"}
    article = detect("Leonardo Corporation and Leonardo S.p.A. both issued statements. Leonardo declined to comment.")
    assert slugs(article) == {"leonardo-corporation", "leonardo-spa"}
    assert ambiguous(article) == {"Leonardo": {"leonardo-corporation", "leonardo-spa"}}


def test_a_mention_the_editor_added_is_evidence(field):
    article = detect("Leonardo announced results.")
    article_add_mention(article=article, entity=field["leonardo_spa"])
    article_detect_mentions(article=article)
    assert slugs(article) == {"leonardo-spa"}
    assert ambiguous(article) == {}


def test_rejecting_all_but_one_candidate_leaves_the_name_to_it(field):
    article = detect("Leonardo announced results.")
    article_reject_mention(article=article, entity=field["leonardo_spa"])
    article_detect_mentions(article=article)
    assert slugs(article) == {"leonardo-corporation"}
    assert ambiguous(article) == {}


def test_the_ambiguity_goes_when_the_name_goes(field):
    article = detect("Leonardo announced results.")
    article.body = "Nothing to see."
    article.save()
    article_detect_mentions(article=article)
    assert ambiguous(article) == {}


def test_a_resolved_name_gives_evidence_for_another_shared_name(field):
    """ "Leonardo" resolves through Rossi nearby; Leonardo Corporation, now named, resolves "Leo" far away."""
    OrganizationFactory(name="Leo Motors", slug="leo-motors", aliases="Leo")
    field["leonardo_corp"].aliases += "\nLeo"
    field["leonardo_corp"].save()
    filler = " ".join(["The weather was mild and the trains ran on time."] * 30)
    article = detect(f"Leo said more. {filler} Rossi and Leonardo.")
    assert slugs(article) == {"andrea-rossi", "leonardo-corporation"}
    assert ambiguous(article) == {}


def test_resolution_ties_stay_ambiguous():
    one, two = ("organization", 1), ("organization", 2)
    matches = [Match(0, 8, (one, two), "leonardo")]
    detection = resolve_mentions("Leonardo", matches, confirmed={one, two}, rejected=set(), related={})
    assert detection.found == frozenset()
    assert [a.candidates for a in detection.ambiguous] == [frozenset({one, two})]


# --- The public page -------------------------------------------------------------------


def test_the_public_page_never_links_an_ambiguous_name(client, field):
    article = detect(
        "Leonardo Corporation and Leonardo S.p.A. met. Leonardo S.p.A. builds helicopters.\n\nLeonardo said no."
    )
    assert slugs(article) == {"leonardo-corporation", "leonardo-spa"}
    assert set(ambiguous(article)) == {"Leonardo"}
    html = article_link_mentions(article)
    assert html.count("/organizations/leonardo-spa/") == 1
    assert '<a class="mention" href="/organizations/leonardo-spa/">Leonardo S.p.A.</a> met' in html
    assert "Leonardo said no." in html and ">Leonardo</a>" not in html
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<p>Leonardo said no.</p>" in page


def test_a_name_detection_left_ambiguous_is_not_linked_whatever_the_mention_rows_say(field):
    """Mention rows written before the name became shared (detection pending) don't make it linkable."""
    article = ArticleFactory(title="Plain", standfirst="", body="Leonardo announced results.")
    article.organizations.add(field["leonardo_corp"])
    assert "leonardo-corporation" in article_link_mentions(article)
    AmbiguousMention.objects.create(article=article, name="Leonardo", key="leonardo")
    assert "mention" not in article_link_mentions(article)


def test_the_public_page_links_an_ambiguous_name_once_an_editor_resolved_it(client, field):
    article = detect("Leonardo announced results.")
    assert "mention" not in article_link_mentions(article)
    article_add_mention(article=article, entity=field["leonardo_corp"])
    article_detect_mentions(article=article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a class="mention" href="/organizations/leonardo-corporation/">Leonardo</a> announced' in page


def test_a_name_two_mentioned_entities_share_is_not_linked(field):
    """Both Woodfords are mentions (by their full names); the bare "Woodford" is not linked to either."""
    article = detect("Woodford wrote. Neil Woodford and Woodford Investment Management agreed.")
    html = article_link_mentions(article)
    assert html.startswith("<p>Woodford wrote.")
    assert ">Neil Woodford</a>" in html and ">Woodford Investment Management</a>" in html


# --- Variants of a name ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["the E-Cat", "the E Cat", "the ECat", "the ecat", "the E-Cats", "two ecats", "E–Cat (en dash)"]
)
def test_hyphens_spaces_case_and_plurals_are_one_name(text):
    TechnologyFactory(name="E-Cat", slug="e-cat")
    assert slugs(detect(text)) == {"e-cat"}


@pytest.mark.parametrize("text", ["a 1 MW plant", "a 1MW plant", "a 1-MW plant", "two 1 MW plants"])
def test_units_with_and_without_a_space(text):
    TechnologyFactory(name="1MW plant", slug="1mw-plant")
    assert slugs(detect(text)) == {"1mw-plant"}


@pytest.mark.parametrize("text", ["the 1 MW unit", "the 1MW unit"])
def test_an_acronym_with_a_digit_keeps_its_case(text):
    TechnologyFactory(name="Plant", slug="plant", aliases="1MW")
    assert slugs(detect(text)) == {"plant"}
    assert slugs(detect(text.lower())) == set()


@pytest.mark.parametrize(
    "text",
    [
        "the E-Catalogue",  # a longer word
        "a 21 MW plant",  # another number
        "a 1 MWh plant",  # another unit
        "a 1MW\n\nplant",  # not across paragraphs
        "a 1MW\r\n\r\nplant",  # as the admin's text box sends them
        "the ecatx",
    ],
)
def test_near_misses_are_not_names(text):
    TechnologyFactory(name="E-Cat", slug="e-cat")
    TechnologyFactory(name="1MW plant", slug="1mw-plant")
    assert slugs(detect(text)) == set()


def test_a_name_of_several_words_written_all_in_lowercase_is_a_phrase():
    """Forum posters write "ecat" and "rossi"; "industrial heat" is heat for industry."""
    OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi")
    assert slugs(detect("The market for industrial heat is large.")) == set()
    assert slugs(detect("Industrial heat, said rossi.")) == {"industrial-heat", "andrea-rossi"}


def test_the_strongest_evidence_wins_ties_below_it_break_on_the_next(field):
    """Both Leonardos are named in full; only Rossi's company has a related entity nearby."""
    article = detect("Leonardo S.p.A. is not Leonardo Corporation. Leonardo holds the E-Cat patents.")
    assert slugs(article) == {"leonardo-spa", "leonardo-corporation", "e-cat"}
    assert ambiguous(article) == {}
    html = article_link_mentions(article)
    assert ">Leonardo</a> holds" not in html  # shared by two of the article's entities: never linked


def test_a_plural_never_beats_a_name_spelled_out():
    """ "Mills" is Randell Mills, not the plural of the "Mill" project."""
    matcher = MentionMatcher([("person", 1, "Mills"), ("technology", 2, "Mill")])
    assert [m.entities for m in matcher.matches("Mills said")] == [(("person", 1),)]
    assert [m.entities for m in matcher.matches("two Mills")] == [(("person", 1),)]
    assert [m.entities for m in matcher.matches("the Mill")] == [(("technology", 2),)]


def test_sibilant_names_take_es():
    matcher = MentionMatcher([("technology", 1, "Hydrogen Box")])
    assert [m.entities for m in matcher.matches("Hydrogen Boxes")] == [(("technology", 1),)]
    assert matcher.matches("Hydrogen Boxers") == []


@pytest.mark.parametrize(
    ("text", "written"),
    [("Two E Cats, said he.", "E Cats"), ("A  long  gap: E -  Cat here", "E -  Cat"), ("\tE-Cat", "E-Cat")],
)
def test_the_match_covers_the_words_as_written(text, written):
    matcher = MentionMatcher([("technology", 1, "E-Cat"), ("organization", 2, "Long Gap")])
    matches = matcher.matches(text)
    assert text[matches[-1].start : matches[-1].end] == written


def test_a_relation_added_later_settles_the_name_at_the_next_detection():
    """The matcher's index caches relations: a new role (saved, or written in bulk) is seen at once."""
    from organizations.models import Affiliation

    rossi = PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi")
    corp = OrganizationFactory(name="Leonardo Corporation", slug="leonardo-corporation", aliases="Leonardo")
    OrganizationFactory(name="Leonardo S.p.A.", slug="leonardo-spa", aliases="Leonardo")
    darden = PersonFactory(name="Tom Darden", slug="tom-darden")
    article = detect("Rossi said Leonardo would appeal.")
    assert set(ambiguous(article)) == {"Leonardo"}
    AffiliationFactory(person=rossi, organization=corp)
    article_detect_mentions(article=article)
    assert slugs(article) == {"andrea-rossi", "leonardo-corporation"}

    other = detect("Tom Darden said Leonardo would appeal.")
    assert set(ambiguous(other)) == {"Leonardo"}
    Affiliation.objects.bulk_create([Affiliation(person=darden, organization=corp)])
    article_detect_mentions(article=other)
    assert slugs(other) == {"tom-darden", "leonardo-corporation"}
