"""Old addresses keep working: after a slug changes, the old page and API address answer 301 to the new one."""

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, TopicFactory
from investments.models import Event, Investment
from lenrnews.models import SlugHistory
from lenrnews.tests.api_support import API, client_for, draft, editor
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


# resource, page prefix, factory
ENTITIES = [
    ("organizations", "/organizations/", lambda: OrganizationFactory(slug="old-slug")),
    ("people", "/people/", lambda: PersonFactory(slug="old-slug")),
    ("technologies", "/technologies/", lambda: TechnologyFactory(slug="old-slug")),
    ("articles", "/articles/", lambda: ArticleFactory(slug="old-slug")),
    ("topics", "/topics/", lambda: TopicFactory(slug="old-slug")),
    ("investments", "/investments/", lambda: Investment.objects.create(title="Deal", slug="old-slug", kind="equity")),
    ("events", "/events/", lambda: Event.objects.create(title="Event", slug="old-slug", kind="announcement")),
]


def rename(obj, slug):
    obj.slug = slug
    obj.save()


@pytest.mark.parametrize(("resource", "page", "make"), ENTITIES, ids=[e[0] for e in ENTITIES])
def test_an_edited_slug_redirects_from_the_old_page_and_api_address(client, resource, page, make):
    obj = make()
    rename(obj, "new-slug")
    response = client.get(f"{page}old-slug/")
    assert response.status_code == 301
    assert response["Location"] == f"{page}new-slug/"
    assert client.get(response["Location"]).status_code == 200

    api = client_for().get(f"{API}{resource}/old-slug/?format=json&fields=slug")
    assert api.status_code == 301
    assert api["Location"] == f"{API}{resource}/new-slug/?format=json&fields=slug"
    assert client_for().get(api["Location"]).status_code == 200
    # HEAD too.
    assert client.head(f"{page}old-slug/").status_code == 301


@pytest.mark.parametrize(("resource", "page", "make"), ENTITIES, ids=[e[0] for e in ENTITIES])
def test_every_former_slug_leads_to_the_current_one(client, resource, page, make):
    obj = make()
    rename(obj, "second")
    rename(obj, "third")
    assert client.get(f"{page}old-slug/")["Location"] == f"{page}third/"
    assert client.get(f"{page}second/")["Location"] == f"{page}third/"
    # Back to a former slug: it is its address again, and the others lead there.
    rename(obj, "old-slug")
    assert client.get(f"{page}old-slug/").status_code == 200
    assert client.get(f"{page}third/")["Location"] == f"{page}old-slug/"


def test_an_old_slug_taken_by_a_new_record_is_that_record_s_address(client):
    first = OrganizationFactory(slug="leonardo")
    rename(first, "leonardo-corporation")
    OrganizationFactory(slug="leonardo", name="Another Leonardo")
    response = client.get("/organizations/leonardo/")
    assert response.status_code == 200
    assert response.context["organization"].name == "Another Leonardo"
    assert not SlugHistory.objects.filter(old_slug="leonardo").exists()


def test_writes_to_an_old_address_are_not_redirected():
    organization = OrganizationFactory(slug="old-slug")
    rename(organization, "new-slug")
    api = client_for(editor())
    assert api.patch(f"{API}organizations/old-slug/", {"summary": "x"}, format="json").status_code == 404
    assert api.delete(f"{API}organizations/old-slug/").status_code == 404


def test_a_slug_changed_through_the_api_redirects(client):
    OrganizationFactory(slug="ih", name="Industrial Heat")
    response = client_for(editor()).patch(f"{API}organizations/ih/", {"slug": "industrial-heat"}, format="json")
    assert response.status_code == 200
    assert client.get("/organizations/ih/")["Location"] == "/organizations/industrial-heat/"
    assert client.get("/feeds/organizations/ih.rss")["Location"] == "/feeds/organizations/industrial-heat.rss"


def test_a_draft_s_new_slug_is_shown_only_to_those_who_may_read_it(client):
    article = draft(slug="old-draft")
    rename(article, "secret-new-title")
    assert client.get("/articles/old-draft/").status_code == 404
    assert client_for().get(f"{API}articles/old-draft/").status_code == 404
    response = client_for(editor()).get(f"{API}articles/old-draft/")
    assert response.status_code == 301
    assert response["Location"] == f"{API}articles/secret-new-title/"


def test_an_article_in_the_trash_is_not_redirected_to(client):
    article = ArticleFactory(slug="old-slug")
    rename(article, "new-slug")
    Article.objects.get(pk=article.pk).trash()
    assert client.get("/articles/old-slug/").status_code == 404


def test_a_deleted_record_leaves_no_old_address(client):
    organization = OrganizationFactory(slug="old-slug")
    rename(organization, "new-slug")
    organization.delete()
    assert not SlugHistory.objects.exists()
    assert client.get("/organizations/old-slug/").status_code == 404


def test_an_unknown_slug_is_still_a_404(client):
    assert client.get("/organizations/nobody/").status_code == 404
    assert client_for().get(f"{API}organizations/nobody/").status_code == 404
