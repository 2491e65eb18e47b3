"""A small world mirroring the seed article, for search, feed and sitemap tests."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, TopicFactory
from investments.models import Investment
from investments.tests.factories import InvestmentFactory
from organizations.models import Organization, Technology
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

SEED_BODY = (
    "Industrial Heat LLC the company that owns the rights to Andrea Rossi\u2019s e-cat low energy nuclear "
    "reaction (LENR) technology has signed a major deal to transfer technology to China.\n\n"
    "HydroFusion reported that Industrial Heat backer and Cherokee Partners CEO Tom Darden had signed an "
    "agreement to participate in the Baishishan International Innovation Park of China-US Science and "
    "Technology.\n\nThe government of the People\u2019s Republic is apparently planning to invest $121 million "
    "in LENR technology at the park."
)


def seed_world():
    now = timezone.now()
    topic = TopicFactory(name="Industry", slug="industry")
    industrial_heat = OrganizationFactory(
        name="Industrial Heat",
        slug="industrial-heat",
        aliases="IH\nIndustrial Heat LLC",
        summary="Raleigh company that owns the rights to the E-Cat.",
    )
    park = OrganizationFactory(
        name="Baishishan International Innovation Park of China-US Science and Technology",
        slug="baishishan-park",
        kind=Organization.Kind.TECHNOLOGY_PARK,
        country="CN",
        summary="A technology park in China.",
    )
    cherokee = OrganizationFactory(
        name="Cherokee Partners",
        slug="cherokee-partners",
        kind=Organization.Kind.INVESTOR,
        summary="Investment firm in Raleigh, North Carolina.",
    )
    rossi = PersonFactory(name="Andrea Rossi", slug="andrea-rossi", country="IT", bio="Inventor of the E-Cat.")
    darden = PersonFactory(name="Tom Darden", slug="tom-darden", bio="CEO of Cherokee Partners.")
    ecat = TechnologyFactory(
        name="E-Cat",
        slug="e-cat",
        aliases="Energy Catalyzer\nE-cat",
        approach=Technology.Approach.NI_H,
        summary="Andrea Rossi's nickel-hydrogen reactor.",
    )
    article = ArticleFactory(
        title="Industrial Heat signs deal to transfer LENR technology to China",
        slug="industrial-heat-china",
        standfirst="The owner of Rossi's E-Cat joins a Chinese technology park.",
        body=SEED_BODY,
        byline="Staff writer",
        publish_at=now - datetime.timedelta(days=1),
    )
    article.topics.add(topic)
    article.organizations.add(industrial_heat, park)
    article.people.add(rossi, darden)
    article.technologies.add(ecat)
    deal = InvestmentFactory(
        title="Industrial Heat joins the Baishishan park",
        slug="industrial-heat-baishishan",
        kind=Investment.Kind.TECHNOLOGY_TRANSFER,
        recipients=[park],
        amount=None,
        summary="Tom Darden signed an agreement to participate in the park on 20 October 2015.",
        investors=[industrial_heat],
    )
    draft = ArticleFactory(
        title="Draft: Baishishan secret plans",
        slug="draft-baishishan",
        body="Baishishan secret draft text.",
        status=Article.Status.DRAFT,
    )
    review = ArticleFactory(
        title="In review: Baishishan audit",
        slug="review-baishishan",
        body="Baishishan review text.",
        status=Article.Status.REVIEW,
    )
    scheduled = ArticleFactory(
        title="Scheduled: Baishishan opens",
        slug="scheduled-baishishan",
        body="Baishishan scheduled text.",
        publish_at=now + datetime.timedelta(hours=2),
    )
    for hidden in (draft, review, scheduled):
        hidden.topics.add(topic)
        hidden.organizations.add(industrial_heat)
    return SimpleNamespace(
        topic=topic,
        industrial_heat=industrial_heat,
        park=park,
        cherokee=cherokee,
        rossi=rossi,
        darden=darden,
        ecat=ecat,
        article=article,
        deal=deal,
        draft=draft,
        review=review,
        scheduled=scheduled,
    )
