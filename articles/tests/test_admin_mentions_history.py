"""Mentions and revision history as an editor meets them in the admin."""

import pytest
from django.urls import reverse

from articles.models import Article, OrganizationMention, PersonMention
from articles.tests.factories import ArticleFactory, SourceFactory
from lenrnews.tests.admin_forms import admin_form_data
from organizations.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def ih():
    return OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH")


@pytest.fixture
def rossi():
    return PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi")


def test_saving_in_the_admin_detects_mentions(editor_client, ih, rossi):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, body="Nothing yet.")
    data = admin_form_data(editor_client.get(change_url(article)), body="IH licensed Rossi's E-Cat.")
    assert editor_client.post(change_url(article), data).status_code == 302
    assert set(article.organizations.all()) == {ih}
    assert set(article.people.all()) == {rossi}
    assert PersonMention.objects.get(article=article).detected


def test_deleting_a_detected_mention_rejects_it_for_later_saves(editor_client, ih, rossi):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, body="Nothing yet.")
    data = admin_form_data(editor_client.get(change_url(article)), body="IH and Rossi.")
    editor_client.post(change_url(article), data)

    page = editor_client.get(change_url(article))
    data = admin_form_data(page)
    data["personmention_set-0-DELETE"] = "on"
    assert editor_client.post(change_url(article), data).status_code == 302
    assert list(article.people.all()) == []
    assert list(article.rejected_people.all()) == [rossi]

    # Saved again with Rossi still in the text: he stays out.
    data = admin_form_data(editor_client.get(change_url(article)), body="IH and Rossi, and Rossi again.")
    editor_client.post(change_url(article), data)
    assert list(article.people.all()) == []
    assert set(article.organizations.all()) == {ih}


def test_an_editor_adds_a_mention_by_hand_and_it_stays(editor_client, ih):
    elsewhere = OrganizationFactory(name="Cherokee Partners", slug="cherokee")
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, body="IH only.")
    article.rejected_organizations.add(elsewhere)
    page = editor_client.get(change_url(article))
    data = admin_form_data(page)
    data.update(
        {
            "organizationmention_set-TOTAL_FORMS": "1",
            "organizationmention_set-0-organization": elsewhere.pk,
            "organizationmention_set-0-article": article.pk,
        }
    )
    data["rejected_organizations"] = []
    assert editor_client.post(change_url(article), data).status_code == 302
    assert set(article.organizations.all()) == {ih, elsewhere}
    assert OrganizationMention.objects.get(article=article, organization=elsewhere).detected is False
    assert not article.rejected_organizations.exists()


def test_history_lists_each_change_with_its_user_and_reverts(editor_client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="First title", author=editor)
    for title in ["Second title", "Third title"]:
        data = admin_form_data(editor_client.get(change_url(article)), title=title)
        assert editor_client.post(change_url(article), data).status_code == 302

    history_url = reverse("admin:articles_article_history", args=[article.pk])
    page = editor_client.get(history_url)
    assert page.status_code == 200
    records = list(page.context["page_obj"])
    assert [r.title for r in records[:2]] == ["Third title", "Second title"]
    assert all(r.history_user == editor for r in records[:2])
    html = page.content.decode()
    assert "First title" in html and "Second title" in html and "Third title" in html
    assert editor.username in html
    changes = records[0].history_delta_changes
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [("Title", "Second title", "Third title")]

    first = article.history.earliest()
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    revert_page = editor_client.get(revert_url)
    assert revert_page.status_code == 200
    data = admin_form_data(revert_page)
    assert editor_client.post(revert_url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "First title"
    assert article.history.count() == 4


def test_writer_reverting_cannot_publish(writer_client, writer, editor):
    """A writer restoring a version that was published does not publish it."""
    article = ArticleFactory(author=writer)
    published_version = article.history.latest()
    article.status, article.publish_at = Article.Status.DRAFT, None
    article.save()
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, published_version.history_id])
    page = writer_client.get(revert_url)
    assert page.status_code == 200
    data = admin_form_data(page)
    data["status"] = "published"
    assert writer_client.post(revert_url, data).status_code == 200  # refused with a form error
    data["status"] = "draft"  # the revision's status and publish_at are not restored unless asked for
    assert writer_client.post(revert_url, data).status_code == 302
    article.refresh_from_db()
    assert article.status == "draft"


def test_source_admin_shows_provenance_and_history(editor_client):
    vortex = SourceFactory(publisher="Vortex-L", title="Post")
    heat = OrganizationFactory(name="Industrial Heat")
    ecw = SourceFactory(
        publisher="E-Cat World",
        title="Relay",
        kind="blog_post",
        via=vortex,
        attributed_to="Marianne Macy",
        speaker_organization=heat,
    )
    listing = editor_client.get(reverse("admin:articles_source_changelist"))
    html = listing.content.decode()
    assert "Vortex-L -&gt; E-Cat World" in html and "Marianne Macy" in html and "Blog post" in html
    page = editor_client.get(reverse("admin:articles_source_change", args=[ecw.pk])).content.decode()
    assert "Vortex-L -&gt; E-Cat World" in page
    assert f'<option value="{heat.pk}" selected>Industrial Heat</option>' in page, "who speaks in it"
    assert editor_client.get(reverse("admin:articles_source_history", args=[ecw.pk])).status_code == 200


@pytest.mark.parametrize("name", ["article", "topic", "source", "correction"])
def test_admin_pages_render_for_an_editor(editor_client, name):
    from articles.tests.factories import CorrectionFactory, TopicFactory

    correction = CorrectionFactory()
    objects = {
        "article": correction.article,
        "topic": TopicFactory(),
        "source": SourceFactory(),
        "correction": correction,
    }
    assert editor_client.get(reverse(f"admin:articles_{name}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:articles_{name}_add")).status_code == 200
    assert editor_client.get(reverse(f"admin:articles_{name}_change", args=[objects[name].pk])).status_code == 200
    assert editor_client.get(reverse(f"admin:articles_{name}_history", args=[objects[name].pk])).status_code == 200
