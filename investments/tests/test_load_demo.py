"""The demo data: the seed article and what it names, with the confidence the text supports."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Source, Topic
from investments.management.commands.load_demo import ARTICLE_FILE
from investments.models import Investment
from investments.selectors import organization_deal_stats
from lenrnews.models import Confidence, DatePrecision
from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake

pytestmark = pytest.mark.django_db

ARTICLE_SLUG = "industrial-heat-signs-deal-to-transfer-lenr-technology-to-china"


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    load_demo()


def snapshot():
    """Every row of every table (history and many-to-many tables included)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def test_loading_twice_changes_nothing():
    first = load_demo()
    before = snapshot()

    second = load_demo()

    after = snapshot()
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}
    assert after == before, "no row changed, not even a timestamp or a revision"
    assert "Demo data: 37 created" in first
    assert "Demo data: 0 created, 0 updated, 37 unchanged" in second


def test_loading_again_restores_an_edited_fact_and_records_the_revision(demo):
    heat = Organization.objects.get(slug="industrial-heat")
    heat.city = "Somewhere else"
    heat.save()
    revisions = heat.history.count()

    assert "1 updated" in load_demo()

    heat.refresh_from_db()
    assert heat.city == "Research Triangle, North Carolina"
    assert heat.history.count() == revisions + 1


def test_the_article_is_the_full_seed_text_published_on_11_march_2016(demo):
    assert ARTICLE_FILE.is_relative_to(settings.BASE_DIR), "a fresh clone must have the text"
    article = Article.objects.get(slug=ARTICLE_SLUG)
    assert article.body == ARTICLE_FILE.read_text(encoding="utf-8").strip()
    assert article.body.startswith("Industrial Heat LLC the company that owns the rights")
    assert article.body.endswith("which is what this field needs.")
    assert article.status == Article.Status.PUBLISHED
    assert article.publish_at.date() == datetime.date(2016, 3, 11)
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert "<p>Industrial Heat LLC the company" in article.body_html
    assert set(article.topics.values_list("name", flat=True)) == {"Industry", "China"}


def test_the_article_links_every_entity_it_names(demo):
    article = Article.objects.get(slug=ARTICLE_SLUG)
    assert set(article.organizations.values_list("slug", flat=True)) == {
        "industrial-heat",
        "cherokee-partners",
        "hydrofusion",
        "e-cat-world",
        "vortex-l",
        "infinite-energy",
        "baishishan-international-innovation-park",
        "government-of-the-peoples-republic-of-china",
        "brillouin-energy",
        "jet-energy",
    }
    assert set(article.people.values_list("slug", flat=True)) == {
        "andrea-rossi",
        "tom-darden",
        "marianne-macy",
        "parkhomov",
        "piantelli",
        "celani",
    }
    assert list(article.technologies.values_list("slug", flat=True)) == ["e-cat"]


def test_industrial_heat_holds_the_rights_to_rossis_e_cat(demo):
    heat = Organization.objects.get(slug="industrial-heat")
    assert heat.kind == Organization.Kind.COMPANY
    assert heat.country == "US"
    assert "North Carolina" in heat.city
    assert {"IH", "Industrial Heat LLC"} <= set(heat.alias_list)

    stake = TechnologyStake.objects.get(organization=heat)
    assert stake.technology.slug == "e-cat"
    assert stake.kind == TechnologyStake.Kind.OWNER
    assert stake.confidence == Confidence.REPORTED
    assert list(Technology.objects.get(slug="e-cat").inventors.values_list("name", flat=True)) == ["Andrea Rossi"]


def test_tom_darden_is_cherokee_partners_ceo_and_industrial_heats_backer(demo):
    roles = {
        (a.organization.slug, a.role, a.confidence)
        for a in Affiliation.objects.filter(person__slug="tom-darden").select_related("organization")
    }
    assert roles == {
        ("cherokee-partners", Affiliation.Role.CEO, Confidence.REPORTED),
        ("industrial-heat", Affiliation.Role.BACKER, Confidence.REPORTED),
    }


def test_the_baishishan_agreement_is_reported_by_hydrofusion_to_the_day(demo):
    deal = Investment.objects.get(slug="industrial-heat-baishishan-park-agreement")
    assert deal.announced_on == datetime.date(2015, 10, 20)
    assert deal.date_precision == DatePrecision.DAY
    assert deal.date_display == "20 Oct 2015"
    assert deal.confidence == Confidence.REPORTED
    assert list(deal.recipients.values_list("slug", flat=True)) == ["baishishan-international-innovation-park"]
    assert list(deal.investors.values_list("slug", flat=True)) == ["industrial-heat"]
    assert list(deal.investor_people.values_list("slug", flat=True)) == ["tom-darden"]
    assert list(deal.sources.values_list("publisher", flat=True)) == ["HydroFusion"]
    assert deal.amount is None
    assert not deal.technologies.exists(), "the article does not say which technology"
    assert list(deal.reported_in.values_list("slug", flat=True)) == [ARTICLE_SLUG]


def test_chinas_121_million_plan_is_a_single_unconfirmed_report(demo):
    deal = Investment.objects.get(investors__slug="government-of-the-peoples-republic-of-china")
    assert deal.kind == Investment.Kind.GOVERNMENT_FUNDING
    assert deal.amount == deal.amount_usd == Decimal("121000000")
    assert deal.currency == "USD"
    assert deal.confidence == Confidence.RUMORED
    assert deal.confidence not in Confidence.at_least(Confidence.REPORTED)
    [source] = deal.sources.all()
    assert source.chain_display == "HydroFusion -> E-Cat World"
    assert source.published_on == datetime.date(2016, 3, 11)
    assert list(deal.reported_in.values_list("slug", flat=True)) == [ARTICLE_SLUG]


def test_the_purported_statement_is_an_unverified_self_claim_that_came_via_vortex_l_and_e_cat_world(demo):
    statement = Source.objects.get(title="Purported statement from Industrial Heat")
    assert statement.attributed_to.startswith("Marianne Macy")
    assert "Infinite Energy" in statement.attributed_to
    heat = Organization.objects.get(slug="industrial-heat")
    assert all(s.speaker_organization == heat for s in statement.chain), "Industrial Heat speaks, all the way"
    assert statement.is_self_claim_for({heat.pk}), "a self-claim for what Industrial Heat is a party of"
    macy = Affiliation.objects.get(person__slug="marianne-macy", organization__slug="infinite-energy")
    assert statement in macy.sources.all()
    assert not statement.is_self_claim_for(*macy.party_ids()), "not for Marianne Macy's role at Infinite Energy"
    assert "Unverified" in statement.reliability
    assert statement.chain_display == "Vortex-L -> E-Cat World"
    assert statement.quote.startswith("Industrial Heat has licensed, acquired or invested")
    assert statement.published_on == datetime.date(2016, 3, 10)
    assert Article.objects.get(slug=ARTICLE_SLUG).sources.filter(pk=statement.pk).exists()


def test_the_articles_speculation_is_not_recorded_as_deals(demo):
    assert Investment.objects.count() == 2
    speculated = ["brillouin-energy", "jet-energy"]
    stats = organization_deal_stats(Organization.objects.all()).filter(slug__in=speculated)
    assert [o.deal_count for o in stats] == [0, 0]
    assert not TechnologyStake.objects.filter(organization__slug__in=speculated).exists()
    people = Person.objects.filter(slug__in=["parkhomov", "piantelli", "celani"])
    assert {p.slug: p.country.code for p in people} == {"parkhomov": "RU", "piantelli": "IT", "celani": "IT"}
    assert not Investment.objects.filter(investor_people__in=people).exists()
    assert not Affiliation.objects.filter(person__in=people).exists()


def test_every_organization_the_article_names_is_where_the_text_puts_it(demo):
    countries = dict(Organization.objects.values_list("slug", "country"))
    assert countries["baishishan-international-innovation-park"] == "CN"
    assert countries["government-of-the-peoples-republic-of-china"] == "CN"
    assert countries["brillouin-energy"] == countries["jet-energy"] == "US"
    assert Organization.objects.get(slug="government-of-the-peoples-republic-of-china").kind == "government"
    assert Organization.objects.get(slug="baishishan-international-innovation-park").kind == "technology_park"
    assert Topic.objects.filter(slug__in=["industry", "china"]).count() == 2
