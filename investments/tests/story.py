"""The seed article's story as test data: Industrial Heat, E-Cat and the Baishishan deal.

Built with the factories so tests don't depend on the demo loader.
"""

import datetime
from decimal import Decimal

from articles.models import Source
from articles.tests.factories import ArticleFactory, SourceFactory, TopicFactory
from investments.models import Investment
from investments.tests.factories import InvestmentFactory
from lenrnews.models import Confidence, DatePrecision
from organizations.models import Affiliation, Organization, Technology, TechnologyStake
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)


def build_story():
    """Create the story's rows and return them by name."""
    cherokee = OrganizationFactory(
        name="Cherokee Investment Partners", slug="cherokee", kind=Organization.Kind.INVESTOR, country="US"
    )
    heat = OrganizationFactory(
        name="Industrial Heat",
        slug="industrial-heat",
        aliases="IH\nIndustrial Heat LLC",
        kind=Organization.Kind.COMPANY,
        country="US",
        city="Raleigh, North Carolina",
        founded=2013,
        summary="Owns the rights to Andrea Rossi's E-Cat.",
        parent=None,
    )
    park = OrganizationFactory(
        name="Baishishan International Innovation Park",
        slug="baishishan-park",
        kind=Organization.Kind.TECHNOLOGY_PARK,
        country="CN",
    )
    china = OrganizationFactory(
        name="Government of the People's Republic of China",
        slug="china-government",
        kind=Organization.Kind.GOVERNMENT,
        country="CN",
    )
    rossi = PersonFactory(name="Andrea Rossi", slug="andrea-rossi", country="IT")
    darden = PersonFactory(name="Tom Darden", slug="tom-darden", country="US")
    ecat = TechnologyFactory(
        name="E-Cat", slug="e-cat", approach=Technology.Approach.NI_H, stage=Technology.Stage.PROTOTYPE
    )
    ecat.inventors.add(rossi)

    vortex = SourceFactory(
        title="Statement from Industrial Heat", publisher="Vortex-L", url="", kind=Source.Kind.FORUM_POST
    )
    # Industrial Heat speaking: a self-claim for every claim Industrial Heat is a party of.
    ecw = SourceFactory(
        title="Industrial Heat statement",
        publisher="E-Cat World",
        kind=Source.Kind.BLOG_POST,
        via=vortex,
        attributed_to="Marianne Macy, Infinite Energy",
        speaker_organization=heat,
    )
    hydrofusion = SourceFactory(
        title="Darden signs Baishishan agreement", publisher="HydroFusion", kind=Source.Kind.NEWS_REPORT
    )

    stake = TechnologyStakeFactory(
        organization=heat,
        technology=ecat,
        kind=TechnologyStake.Kind.OWNER,
        since=datetime.date(2013, 1, 1),
        since_precision=DatePrecision.YEAR,
        confidence=Confidence.REPORTED,
    )
    stake.sources.add(ecw)
    AffiliationFactory(
        person=darden,
        organization=cherokee,
        role=Affiliation.Role.CEO,
        confidence=Confidence.CONFIRMED,
    )
    AffiliationFactory(person=darden, organization=heat, role=Affiliation.Role.BACKER, confidence=Confidence.REPORTED)

    baishishan = InvestmentFactory(
        title="Industrial Heat joins Baishishan park",
        slug="industrial-heat-baishishan",
        kind=Investment.Kind.TECHNOLOGY_TRANSFER,
        recipients=[park],
        amount=None,
        announced_on=datetime.date(2015, 10, 20),
        date_precision=DatePrecision.DAY,
        confidence=Confidence.RUMORED,
        investors=[heat],
    )
    baishishan.technologies.add(ecat)
    baishishan.sources.add(hydrofusion, ecw)
    funding = InvestmentFactory(
        title="China plans $121 million for LENR at Baishishan",
        slug="china-121-million",
        kind=Investment.Kind.GOVERNMENT_FUNDING,
        recipients=[park],
        amount=Decimal("121000000"),
        currency="USD",
        announced_on=datetime.date(2015, 10, 1),
        date_precision=DatePrecision.MONTH,
        confidence=Confidence.RUMORED,
        investors=[china],
    )
    topic = TopicFactory(name="Business", slug="business")
    article = ArticleFactory(
        title="Industrial Heat transfers LENR technology to China",
        slug="industrial-heat-china",
        standfirst="Industrial Heat signs up to a Chinese technology park.",
        body="Industrial Heat LLC, the company that owns the rights to Andrea Rossi's **E-Cat**...",
    )
    article.topics.add(topic)
    article.organizations.add(heat, park)
    article.people.add(rossi, darden)
    article.technologies.add(ecat)
    article.sources.add(hydrofusion, ecw)
    baishishan.reported_in.add(article)
    return {
        "heat": heat,
        "cherokee": cherokee,
        "park": park,
        "china": china,
        "rossi": rossi,
        "darden": darden,
        "ecat": ecat,
        "stake": stake,
        "baishishan": baishishan,
        "funding": funding,
        "article": article,
        "topic": topic,
        "sources": [vortex, ecw, hydrofusion],
    }
