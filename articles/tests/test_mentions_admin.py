"""Resolving an ambiguous mention in the admin: the editor picks the entity meant, or none."""

import pytest
from django.urls import reverse

from articles.mentions import article_detect_mentions
from articles.models import AmbiguousMention, Article
from articles.tests.factories import ArticleFactory
from lenrnews.tests.admin_forms import admin_form_data
from organizations.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def woodfords():
    fund = OrganizationFactory(
        name="Woodford Investment Management", slug="woodford-investment-management", aliases="Woodford"
    )
    neil = PersonFactory(name="Neil Woodford", slug="neil-woodford", aliases="Woodford")
    return fund, neil


@pytest.fixture
def article(woodfords):
    article = ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, title="Plain", standfirst="", body="Woodford backed the deal."
    )
    article_detect_mentions(article=article)
    return article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def pick(client, article, choice):
    response = client.get(change_url(article))
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    values = {label: value for value, label in form.fields["resolution"].choices}
    data = admin_form_data(response)
    data["ambiguous_mentions-0-resolution"] = values[choice]
    return client.post(change_url(article), data)


def test_the_change_page_shows_the_name_its_context_and_the_candidates(editor_client, article):
    response = editor_client.get(change_url(article))
    html = response.content.decode()
    assert "Ambiguous, not linked until you pick the one meant: “Woodford”." in html
    assert "Woodford backed the deal." in html
    assert "Woodford Investment Management (organization)" in html
    assert "Neil Woodford (person)" in html


def test_picking_the_entity_makes_it_the_mention(editor_client, article, woodfords):
    fund, neil = woodfords
    assert pick(editor_client, article, "Neil Woodford (person)").status_code == 302
    assert list(article.people.all()) == [neil]
    assert list(article.organizations.all()) == []
    assert not AmbiguousMention.objects.filter(article=article).exists()
    page = editor_client.get(reverse("admin:articles_article_preview", args=[article.pk])).content.decode()
    assert '<a class="mention" href="/people/neil-woodford/">Woodford</a> backed' in page


def test_none_of_these_rejects_every_candidate(editor_client, article, woodfords):
    assert pick(editor_client, article, "None of these").status_code == 302
    assert (list(article.people.all()), list(article.organizations.all())) == ([], [])
    assert list(article.rejected_people.all()) == [woodfords[1]]
    assert list(article.rejected_organizations.all()) == [woodfords[0]]
    assert not AmbiguousMention.objects.filter(article=article).exists()


def test_undecided_leaves_it_for_later(editor_client, article):
    data = admin_form_data(editor_client.get(change_url(article)), body="Woodford backed the deal again.")
    assert editor_client.post(change_url(article), data).status_code == 302
    assert AmbiguousMention.objects.get(article=article).name == "Woodford"


def test_a_writer_resolves_too(writer_client, article, woodfords):
    assert pick(writer_client, article, "Woodford Investment Management (organization)").status_code == 302
    assert list(article.organizations.all()) == [woodfords[0]]


def test_only_a_candidate_can_be_picked(editor_client, article):
    other = OrganizationFactory(name="Elsewhere", slug="elsewhere")
    data = admin_form_data(editor_client.get(change_url(article)))
    data["ambiguous_mentions-0-resolution"] = f"organization:{other.pk}"
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(article.organizations.all()) == []


def test_the_article_list_filters_the_articles_to_resolve(editor_client, article):
    ArticleFactory(title="Settled", standfirst="", body="No names.")
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"mentions": "ambiguous"})
    assert [a.pk for a in response.context["cl"].result_list] == [article.pk]
