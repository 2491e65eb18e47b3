"""Accounts (the newsroom's roles), clients and rows for the tests of every app.

``writer()`` and ``editor()`` are the one way to make those accounts; conftest.py's
``writer``/``editor`` fixtures (and their ``*_client``) use them too.
"""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article
from articles.roles import EDITOR, WRITER, setup_roles
from articles.tests.factories import ArticleFactory, CorrectionFactory, SourceFactory, TopicFactory, UserFactory
from investments.models import Event, Investment
from investments.tests.factories import EventFactory, InvestmentFactory
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

API = "/api/v1/"


def role(name):
    """The group made by the roles migration (re-made after a transactional test flushed it)."""
    if not Group.objects.filter(name=name).exists():
        setup_roles()
    return Group.objects.get(name=name)


def writer():
    """A writer (staff, in the Writer group): adds and changes articles, cannot publish, delete or edit entities."""
    user = UserFactory(username="writer", is_staff=True)
    user.groups.add(role(WRITER))
    return user


def editor():
    """An editor (staff, in the Editor group): every permission on our models, publishing included."""
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(role(EDITOR))
    return user


def client_for(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, publish_at=None, **kwargs)


def in_review(**kwargs):
    return ArticleFactory(status=Article.Status.REVIEW, publish_at=None, **kwargs)


def scheduled(**kwargs):
    return ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=1), **kwargs)


def sourced(claim):
    """Give a claim a source that came via another, and a public and a draft article."""
    claim.sources.add(SourceFactory(via=SourceFactory(publisher="Vortex-L"), publisher="E-Cat World"))
    claim.reported_in.add(ArticleFactory(), draft())
    return claim


def rich_article():
    article = ArticleFactory()
    article.topics.add(TopicFactory())
    article.organizations.add(OrganizationFactory())
    article.people.add(PersonFactory())
    article.technologies.add(TechnologyFactory())
    article.sources.add(SourceFactory(via=SourceFactory()))
    CorrectionFactory(article=article)
    return article


def rich_organization():
    organization = OrganizationFactory(parent=OrganizationFactory(), aliases="IH\nIndustrial Heat LLC")
    InvestmentFactory(recipients=[organization], investors=[OrganizationFactory()])
    TechnologyStakeFactory(organization=organization)
    return organization


def rich_person():
    person = PersonFactory()
    AffiliationFactory(person=person)
    AffiliationFactory(person=person)
    return person


def rich_technology():
    technology = TechnologyFactory()
    technology.inventors.add(PersonFactory(), PersonFactory())
    return technology


def rich_investment():
    lead = OrganizationFactory()
    investment = InvestmentFactory(
        investors=[lead, OrganizationFactory()],
        recipients=[OrganizationFactory(), OrganizationFactory()],
        recipient_people=[PersonFactory()],
    )
    investment.investororganization_set.filter(organization=lead).update(is_lead=True, amount=1000, amount_usd=1000)
    investment.investor_people.add(PersonFactory())
    investment.technologies.add(TechnologyFactory())
    EventFactory(kind=Event.Kind.DEAL_STATUS, new_status=Investment.Status.SIGNED, investments=[investment])
    investment.sources.add(SourceFactory(speaker_organization=lead))
    return sourced(investment)


def rich_event():
    from investments.models import EventOrganization

    event = EventFactory(investments=[InvestmentFactory()])
    EventOrganization.objects.create(event=event, organization=OrganizationFactory(), role="plaintiff")
    event.technologies.add(TechnologyFactory())
    return sourced(event)


def rich_stake():
    stake = sourced(TechnologyStakeFactory(investment=InvestmentFactory(), until=datetime.date(2030, 1, 1)))
    stake.sources.add(SourceFactory(speaker_organization=stake.organization))
    return stake


def rich_affiliation():
    affiliation = sourced(AffiliationFactory(end=datetime.date(2019, 5, 1)))
    affiliation.sources.add(SourceFactory(speaker_person=affiliation.person))
    return affiliation


def rich_source():
    return SourceFactory(
        via=SourceFactory(via=SourceFactory(), via_text="Vortex-L post"),
        kind="journal_paper",
        doi="10.1016/j.physletb.2010.01.001",
        publisher_organization=OrganizationFactory(),
        speaker_organization=OrganizationFactory(),
        speaker_person=PersonFactory(),
    )


def create_payload(resource):
    """A valid new row of each resource, with what it refers to already in the database."""
    if resource == "articles":
        return {"title": "Rossi wins in court", "body": "The *jury* found...", "status": "draft"}
    if resource == "topics":
        return {"name": "Courts", "description": "Lawsuits."}
    if resource == "organizations":
        return {"name": "Leonardo Corporation", "kind": "company", "country": "US", "aliases": ["Leonardo Corp"]}
    if resource == "people":
        return {"name": "Andrea Rossi", "country": "IT"}
    if resource == "affiliations":
        return {"person": PersonFactory().slug, "organization": OrganizationFactory().slug, "role": "founder"}
    if resource == "technologies":
        return {"name": "QuarkX", "approach": "ni_h", "stage": "prototype", "inventors": [PersonFactory().slug]}
    if resource == "stakes":
        return {"organization": OrganizationFactory().slug, "technology": TechnologyFactory().slug, "kind": "licensee"}
    if resource == "investments":
        return {"title": "Cherokee funds IH", "kind": "equity", "investors": [OrganizationFactory().slug]}
    if resource == "sources":
        return {"title": "Purported statement", "publisher": "Vortex-L", "kind": "forum_post"}
    if resource == "events":
        return {
            "title": "Rossi v. Darden settled",
            "kind": "lawsuit_settled",
            "occurred_on": "2017-07",
            "parties": [{"organization": OrganizationFactory().slug, "role": "plaintiff"}],
        }
    raise AssertionError(resource)


# One row per resource that nothing refers to (so it can be deleted).
PLAIN_ROWS = {
    "articles": ArticleFactory,
    "topics": TopicFactory,
    "organizations": OrganizationFactory,
    "people": PersonFactory,
    "affiliations": AffiliationFactory,
    "technologies": TechnologyFactory,
    "stakes": TechnologyStakeFactory,
    "investments": InvestmentFactory,
    "events": EventFactory,
    "sources": SourceFactory,
}

# One row with everything its representation shows, per resource.
RICH_ROWS = {
    "articles": rich_article,
    "topics": TopicFactory,
    "organizations": rich_organization,
    "people": rich_person,
    "affiliations": rich_affiliation,
    "technologies": rich_technology,
    "stakes": rich_stake,
    "investments": rich_investment,
    "events": rich_event,
    "sources": rich_source,
}
