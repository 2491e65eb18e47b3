"""Accounts, clients and rows for the API tests of every app."""

import datetime

from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article
from articles.tests.factories import ArticleFactory, CorrectionFactory, SourceFactory, TopicFactory, UserFactory
from investments.tests.factories import InvestmentFactory
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

API = "/api/v1/"
OUR_APPS = ["organizations", "articles", "investments"]


def writer():
    """A writer: adds and changes articles, cannot publish, delete or touch the database of entities."""
    user = UserFactory(username="writer")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=["add_article", "change_article", "view_article"]
        )
    )
    return user


def editor():
    """An editor: every permission on our models, publishing included."""
    user = UserFactory(username="editor")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=OUR_APPS))
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
    InvestmentFactory(recipient=organization, investors=[OrganizationFactory()])
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
    investment = InvestmentFactory(investors=[OrganizationFactory(), OrganizationFactory()])
    investment.investor_people.add(PersonFactory())
    investment.technologies.add(TechnologyFactory())
    return sourced(investment)


def rich_stake():
    return sourced(TechnologyStakeFactory(investment=InvestmentFactory()))


def rich_source():
    return SourceFactory(via=SourceFactory(via=SourceFactory()), publisher_organization=OrganizationFactory())


# One row with everything its representation shows, per resource.
RICH_ROWS = {
    "articles": rich_article,
    "topics": TopicFactory,
    "organizations": rich_organization,
    "people": rich_person,
    "affiliations": lambda: sourced(AffiliationFactory()),
    "technologies": rich_technology,
    "stakes": rich_stake,
    "investments": rich_investment,
    "sources": rich_source,
}
