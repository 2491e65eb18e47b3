import pytest

from articles.mentions import (
    MentionMatcher,
    article_detect_mentions,
    article_link_mentions,
    article_reject_mention,
    get_mention_matcher,
)
from articles.models import OrganizationMention, PersonMention
from articles.tests.factories import ArticleFactory
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_entities():
    return {
        "ih": OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH\nIndustrial Heat LLC"),
        "rossi": PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi"),
        "ecat": TechnologyFactory(name="E-Cat", slug="e-cat", aliases="Energy Catalyzer"),
        "jet": OrganizationFactory(name="JET Energy", slug="jet-energy"),
    }


def names_of(article):
    return (
        {o.slug for o in article.organizations.all()}
        | {p.slug for p in article.people.all()}
        | {t.slug for t in article.technologies.all()}
    )


def test_detects_names_and_aliases_in_title_standfirst_and_body(seed_entities):
    article = ArticleFactory(
        title="IH and the park", standfirst="A deal for the Energy Catalyzer.", body="Andrea Rossi spoke."
    )
    article_detect_mentions(article=article)
    assert names_of(article) == {"industrial-heat", "e-cat", "andrea-rossi"}
    assert all(m.detected for m in OrganizationMention.objects.filter(article=article))


def test_whole_words_only(seed_entities):
    article = ArticleFactory(title="Plain", standfirst="", body="Rossini wrote operas; the E-Catalogue is long.")
    article_detect_mentions(article=article)
    assert names_of(article) == set()


def test_short_acronyms_are_case_sensitive_other_names_are_not(seed_entities):
    article = ArticleFactory(title="Plain", standfirst="", body="Oh ih, said he. INDUSTRIAL HEAT is in capitals here.")
    article_detect_mentions(article=article)
    assert names_of(article) == {"industrial-heat"}
    only_acronym_lower = ArticleFactory(title="Plain", standfirst="", body="ih is not IH-less text")
    article_detect_mentions(article=only_acronym_lower)
    assert names_of(only_acronym_lower) == {"industrial-heat"}  # "IH-less": hyphen ends the word
    lower = ArticleFactory(title="Plain", standfirst="", body="ih, Ih and iH are not the acronym.")
    article_detect_mentions(article=lower)
    assert names_of(lower) == set()


@pytest.mark.parametrize("text", ["Rossi's reactor", "Rossi’s reactor", "(Rossi)", "said Rossi."])
def test_possessives_and_punctuation(seed_entities, text):
    article = ArticleFactory(title="Plain", standfirst="", body=text)
    article_detect_mentions(article=article)
    assert names_of(article) == {"andrea-rossi"}


def test_rejected_mention_stays_rejected_on_later_saves(seed_entities):
    article = ArticleFactory(title="IH news", standfirst="", body="Rossi too.")
    article_detect_mentions(article=article)
    article_reject_mention(article=article, entity=seed_entities["rossi"])
    assert names_of(article) == {"industrial-heat"}
    article.body = "Rossi again, and Rossi's E-Cat."
    article.save()
    article_detect_mentions(article=article)
    assert names_of(article) == {"industrial-heat", "e-cat"}


def test_never_removes_a_mention_added_by_hand(seed_entities):
    article = ArticleFactory(title="Nothing here", standfirst="", body="No names.")
    PersonMention.objects.create(article=article, person=seed_entities["rossi"], detected=False)
    OrganizationMention.objects.create(article=article, organization=seed_entities["ih"], detected=True)
    article_detect_mentions(article=article)
    assert names_of(article) == {"andrea-rossi"}
    assert PersonMention.objects.get(article=article).detected is False


def test_hand_added_mention_stays_manual_when_also_detected(seed_entities):
    article = ArticleFactory(title="Rossi", standfirst="", body="Rossi.")
    PersonMention.objects.create(article=article, person=seed_entities["rossi"], detected=False)
    article_detect_mentions(article=article)
    assert list(PersonMention.objects.filter(article=article).values_list("detected", flat=True)) == [False]


def test_matcher_is_cached_and_rebuilt_when_entities_change(seed_entities):
    first = get_mention_matcher()
    assert get_mention_matcher() is first
    PersonFactory(name="Francesco Piantelli", slug="piantelli")
    rebuilt = get_mention_matcher()
    assert rebuilt is not first
    article = ArticleFactory(title="Plain", standfirst="", body="Francesco Piantelli's work.")
    article_detect_mentions(article=article)
    assert names_of(article) == {"piantelli"}


def test_renamed_and_deleted_entities_are_not_detected(seed_entities):
    article = ArticleFactory(title="Plain", standfirst="", body="JET Energy and Industrial Heat.")
    get_mention_matcher()
    seed_entities["jet"].delete()
    seed_entities["ih"].name, seed_entities["ih"].aliases = "Industrial Warmth", ""
    seed_entities["ih"].save()
    article_detect_mentions(article=article)
    assert names_of(article) == set()


def test_longest_match_wins():
    matcher = MentionMatcher([("organization", 1, "Industrial Heat"), ("organization", 2, "Industrial Heat LLC")])
    assert [m.entities for m in matcher.matches("Industrial Heat LLC said")] == [(("organization", 2),)]


def test_link_mentions_links_first_mention_of_each_entity_only(seed_entities):
    article = ArticleFactory(
        title="Plain",
        standfirst="",
        body="Rossi met IH. Later **Rossi** left [Rossi's site](https://example.org) and `IH` code.",
    )
    article_detect_mentions(article=article)
    html = article_link_mentions(article)
    assert html.count('href="/people/andrea-rossi/"') == 1
    assert html.count('href="/organizations/industrial-heat/"') == 1
    assert '<a class="mention" href="/people/andrea-rossi/">Rossi</a> met' in html
    assert "<code>IH</code>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer"' in html


def test_link_mentions_skips_rejected_and_stays_sanitized():
    evil = OrganizationFactory(name="Evil <b>Corp</b>", slug="evil", aliases='Bad"Co')
    article = ArticleFactory(
        title="Plain",
        standfirst="",
        body=(
            'Evil <b>Corp</b> and Bad"Co <script>alert(1)</script> [x](javascript:alert(1)) '
            "<img src=x onerror=alert(1)>"
        ),
    )
    article_detect_mentions(article=article)
    assert names_of(article) == {"evil"}
    html = article_link_mentions(article)
    assert "<script" not in html and "<img" not in html and 'href="javascript:' not in html
    assert '<a class="mention" href="/organizations/evil/">Evil &lt;b&gt;Corp&lt;/b&gt;</a>' in html
    article_reject_mention(article=article, entity=evil)
    assert "mention" not in article_link_mentions(article)


def test_matcher_notices_entities_written_without_signals(seed_entities):
    """Another process, or a bulk write, sends no signal here: the table fingerprint still changes."""
    from organizations.models import Person

    get_mention_matcher()
    Person.objects.bulk_create([Person(name="Francesco Celani", slug="celani")])
    article = ArticleFactory(title="Plain", standfirst="", body="Francesco Celani measured it.")
    article_detect_mentions(article=article)
    assert names_of(article) == {"celani"}
