"""Articles, topics and sources through the API: visibility, the publishing rule, representation."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, CorrectionFactory, SourceFactory, TopicFactory, UserFactory
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.api_support import API, client_for, draft, editor, in_review, scheduled, writer
from organizations.tests.factories import OrganizationFactory, TechnologyStakeFactory

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def unpublished():
    return [
        draft(slug="a-draft", title="Zyxwv draft"),
        in_review(slug="in-review", title="Zyxwv review"),
        scheduled(slug="scheduled", title="Zyxwv scheduled"),
    ]


# --- Visibility ---


def test_readers_see_published_articles_only_in_the_list(unpublished):
    ArticleFactory(slug="public")
    ArticleFactory(slug="just-published", publish_at=timezone.now() - datetime.timedelta(seconds=1))
    ArticleFactory(slug="a-second-away", publish_at=timezone.now() + datetime.timedelta(seconds=60))
    assert sorted(slugs(client_for().get(f"{API}articles/"))) == ["just-published", "public"]


@pytest.mark.parametrize("slug", ["a-draft", "in-review", "scheduled"])
def test_readers_get_404_for_an_unpublished_article(unpublished, slug):
    response = client_for().get(f"{API}articles/{slug}/")
    assert response.status_code == 404


def test_unpublished_articles_do_not_leak_through_filters(unpublished):
    heat = OrganizationFactory(slug="industrial-heat")
    topic = TopicFactory(slug="business")
    for article in unpublished:
        article.organizations.add(heat)
        article.topics.add(topic)
    public = ArticleFactory(slug="public", title="Scheduled funding", standfirst="", body="Nothing to hide.")
    public.organizations.add(heat)
    client = client_for()
    assert slugs(client.get(f"{API}articles/", {"organization": "industrial-heat"})) == ["public"]
    assert slugs(client.get(f"{API}articles/", {"topic": "business"})) == []
    assert slugs(client.get(f"{API}articles/", {"q": "Zyxwv"})) == []
    assert slugs(client.get(f"{API}articles/", {"q": "Scheduled"})) == ["public"]
    assert client.get(f"{API}articles/", {"year": timezone.now().year}).json()["count"] == 1


def test_unpublished_articles_do_not_leak_in_nested_lists(unpublished):
    public = ArticleFactory(slug="public")
    deal = InvestmentFactory(slug="deal")
    stake = TechnologyStakeFactory()
    for claim in (deal, stake):
        claim.reported_in.add(public, *unpublished)

    reader = client_for()
    assert [a["slug"] for a in reader.get(f"{API}investments/deal/").json()["reported_in"]] == ["public"]
    assert [a["slug"] for a in reader.get(f"{API}stakes/{stake.pk}/").json()["reported_in"]] == ["public"]
    listed = reader.get(f"{API}investments/").json()["results"][0]
    assert [a["slug"] for a in listed["reported_in"]] == ["public"]

    editors = client_for(editor())
    assert len(editors.get(f"{API}investments/deal/").json()["reported_in"]) == 4


def test_writers_and_editors_read_unpublished_articles(unpublished):
    ArticleFactory(slug="public")
    for user in (writer(), editor()):
        client = client_for(user)
        assert sorted(slugs(client.get(f"{API}articles/"))) == ["a-draft", "in-review", "public", "scheduled"]
        assert client.get(f"{API}articles/a-draft/").json()["status"] == "draft"


def test_readers_cannot_name_a_draft_when_filtering_or_writing():
    draft(slug="a-draft")
    response = client_for().get(f"{API}articles/a-draft/")
    assert response.status_code == 404


# --- The publishing rule ---


def _payload(**overrides):
    return {"title": "IH signs with Baishishan", "body": "Industrial Heat **signed**.", **overrides}


def test_a_writer_saves_drafts_and_sends_them_to_review():
    user = writer()
    client = client_for(user)
    response = client.post(f"{API}articles/", _payload(status="draft"), format="json")
    assert response.status_code == 201, response.content
    article = Article.objects.get(slug="ih-signs-with-baishishan")
    assert article.author == user
    assert response.json()["body_html"] == "<p>Industrial Heat <strong>signed</strong>.</p>\n"

    response = client.patch(f"{API}articles/{article.slug}/", {"status": "review"}, format="json")
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_a_writer_cannot_publish_a_new_article():
    response = client_for(writer()).post(f"{API}articles/", _payload(status="published"), format="json")
    assert response.status_code == 403
    assert "Only an editor can" in response.json()["detail"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "start, change",
    [
        ("draft", {"status": "published"}),
        ("review", {"status": "published", "publish_at": "2030-01-01T00:00:00Z"}),
        ("published", {"status": "draft"}),
        ("published", {"status": "review"}),
        ("published", {"publish_at": "2030-01-01T00:00:00Z"}),
        ("scheduled", {"publish_at": "2020-01-01T00:00:00Z"}),
        ("scheduled", {"status": "draft"}),
    ],
)
def test_a_writer_cannot_publish_schedule_or_unpublish(start, change):
    article = {
        "draft": lambda: draft(slug="it"),
        "review": lambda: in_review(slug="it"),
        "published": lambda: ArticleFactory(slug="it"),
        "scheduled": lambda: scheduled(slug="it"),
    }[start]()
    before = (article.status, article.publish_at)

    response = client_for(writer()).patch(f"{API}articles/it/", change, format="json")

    assert response.status_code == 403
    assert "Only an editor can" in response.json()["detail"]
    article.refresh_from_db()
    assert (article.status, article.publish_at) == before


def test_a_writer_may_edit_the_text_of_a_published_article():
    article = ArticleFactory(slug="it")
    response = client_for(writer()).patch(
        f"{API}articles/it/", {"standfirst": "Better.", "status": "published"}, format="json"
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.standfirst == "Better."


def test_deleting_a_published_article_needs_the_publish_permission():
    user = UserFactory(username="deleter")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["delete_article", "change_article"]))
    ArticleFactory(slug="public")
    draft(slug="a-draft")
    client = client_for(user)
    response = client.delete(f"{API}articles/public/")
    assert response.status_code == 403
    assert Article.objects.filter(slug="public").exists()
    assert client.delete(f"{API}articles/a-draft/").status_code == 204


def test_an_editor_publishes_and_schedules():
    client = client_for(editor())
    response = client.post(f"{API}articles/", _payload(status="published"), format="json")
    assert response.status_code == 201
    assert response.json()["publish_at"] is not None
    assert slugs(client_for().get(f"{API}articles/")) == ["ih-signs-with-baishishan"]

    later = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    response = client.patch(f"{API}articles/ih-signs-with-baishishan/", {"publish_at": later}, format="json")
    assert response.status_code == 200
    assert slugs(client_for().get(f"{API}articles/")) == []


# --- Representation and writes ---


def test_article_representation():
    article = ArticleFactory(slug="it", body="Hello <script>alert(1)</script> *world*", byline="Staff")
    article.topics.add(TopicFactory(slug="business", name="Business"))
    source = SourceFactory(
        publisher="E-Cat World",
        via=SourceFactory(publisher="Vortex-L"),
        kind="journal_paper",
        doi="10.1/x",
        speaker_organization=OrganizationFactory(),
    )
    article.sources.add(source)
    CorrectionFactory(article=article, text="Fixed the *amount*.")

    data = client_for().get(f"{API}articles/it/").json()

    assert data["url"] == "http://testserver/articles/it/"
    assert data["author"] == "Staff"
    assert "<script>" not in data["body_html"] and "<em>world</em>" in data["body_html"]
    assert data["body"] == article.body
    assert data["topics"] == [{"slug": "business", "name": "Business", "url": "http://testserver/topics/business/"}]
    cited = data["sources"][0]
    assert cited["id"] == source.pk
    assert (cited["kind"], cited["doi"]) == ("journal_paper", "10.1/x")
    assert cited["self_claim"] is None, "an article has no parties: a self-claim only means something for a claim"
    assert "confidence" not in cited
    assert cited["chain_display"] == "Vortex-L -> E-Cat World"
    assert [s["publisher"] for s in cited["via"]] == ["Vortex-L"]
    assert data["corrections"][0]["text_html"] == "<p>Fixed the <em>amount</em>.</p>\n"


def test_mentions_topics_and_sources_are_written_by_slug_and_id():
    heat = OrganizationFactory(slug="industrial-heat")
    TopicFactory(slug="business")
    source = SourceFactory()
    response = client_for(editor()).post(
        f"{API}articles/",
        _payload(organizations=["industrial-heat"], topics=["business"], sources=[source.pk]),
        format="json",
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get()
    assert list(article.organizations.all()) == [heat]
    assert [t.slug for t in article.topics.all()] == ["business"]
    assert list(article.sources.all()) == [source]


def test_bad_article_payloads_are_400s_with_field_errors():
    client = client_for(editor())
    ArticleFactory(slug="taken")
    response = client.post(
        f"{API}articles/",
        {"title": "", "status": "gone", "topics": ["nope"], "sources": [999999], "slug": "taken"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "body", "status", "topics", "sources", "slug"}
    assert Article.objects.count() == 1


def test_a_slug_is_made_from_the_title_and_must_be_free():
    client = client_for(editor())
    assert client.post(f"{API}articles/", _payload(), format="json").status_code == 201
    response = client.post(f"{API}articles/", _payload(), format="json")
    assert response.status_code == 400
    assert "slug" in response.json()


# --- Topics and sources ---


def test_topics_and_sources_filters():
    TopicFactory(name="Business", slug="business")
    TopicFactory(name="Science", slug="science")
    heat = OrganizationFactory(slug="industrial-heat")
    SourceFactory(title="Purported statement", kind="company_statement", speaker_organization=heat)
    SourceFactory(title="Court filing", kind="court_filing")
    client = client_for()
    assert slugs(client.get(f"{API}topics/", {"q": "busi"})) == ["business"]

    def titles(params):
        response = client.get(f"{API}sources/", params)
        assert response.status_code == 200, response.content
        return [s["title"] for s in response.json()["results"]]

    assert titles({"speaker": "industrial-heat"}) == ["Purported statement"]
    assert titles({"kind": "court_filing"}) == ["Court filing"]
    assert set(titles({"kind": ["court_filing", "company_statement"]})) == {"Court filing", "Purported statement"}
    response = client.get(f"{API}sources/", {"kind": "maybe", "speaker": "nobody", "year": "1200"})
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "speaker", "year"}


def test_a_source_cannot_come_via_itself():
    first = SourceFactory()
    second = SourceFactory(via=first)
    response = client_for(editor()).patch(f"{API}sources/{first.pk}/", {"via": second.pk}, format="json")
    assert response.status_code == 400
    assert "via" in response.json()
