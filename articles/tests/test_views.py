import datetime

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, CorrectionFactory, SourceFactory, TopicFactory
from lenrnews.tests.query_counts import QUERY_BUDGET, queries_with_1_and_50_rows
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_listing_shows_only_published_articles(client):
    ArticleFactory(title="Public", publish_at=NOW - datetime.timedelta(seconds=1))
    ArticleFactory(title="Draft", status=Article.Status.DRAFT)
    ArticleFactory(title="In review", status=Article.Status.REVIEW)
    ArticleFactory(title="Scheduled", publish_at=NOW + datetime.timedelta(seconds=1))

    html = client.get("/articles/").content.decode()

    assert "Public" in html
    for hidden in ("Draft", "In review", "Scheduled"):
        assert f">{hidden}</a>" not in html
    assert "<strong>1</strong> article" in html


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "fields",
    [{"status": Article.Status.DRAFT}, {"status": Article.Status.REVIEW}, {"publish_at": NOW + datetime.timedelta(1)}],
)
def test_unpublished_article_page_is_404(client, fields):
    article = ArticleFactory(**fields)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_article_filters(client, story):
    ArticleFactory(title="Old news", publish_at=timezone.make_aware(datetime.datetime(2015, 10, 21)))

    def titles(query):
        response = client.get(f"/articles/?{query}")
        assert response.status_code == 200
        return [a.title for a in response.context["page_obj"]]

    story_title = story["article"].title
    assert titles("organization=industrial-heat") == [story_title]
    assert titles("person=tom-darden") == [story_title]
    assert titles("technology=e-cat") == [story_title]
    assert titles("topic=business") == [story_title]
    assert titles("year=2015&month=10") == ["Old news"]
    assert titles("q=china") == [story_title]


def test_article_page_shows_everything_a_reader_needs(client, story):
    article = story["article"]
    article.body = "Hello <script>alert(1)</script> **bold**"
    article.byline = "Staff writer"
    article.save()
    CorrectionFactory(article=article, text="The park is in *Tianjin*.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<h1>Industrial Heat transfers LENR technology to China</h1>" in html
    assert "Industrial Heat signs up to a Chinese technology park." in html
    assert "By Staff writer" in html
    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="/topics/business/"' in html
    assert 'href="/organizations/industrial-heat/"' in html
    assert 'href="/people/tom-darden/"' in html
    assert 'href="/technologies/e-cat/"' in html
    assert "HydroFusion" in html and "Came through: Vortex-L -&gt; E-Cat World" in html
    assert "<em>Tianjin</em>" in html


@time_machine.travel(NOW, tick=False)
def test_related_articles_share_entities_and_are_published(client):
    heat = OrganizationFactory()
    article = ArticleFactory(slug="main")
    article.organizations.add(heat)
    ArticleFactory(title="Sibling").organizations.add(heat)
    ArticleFactory(title="Draft sibling", status=Article.Status.DRAFT).organizations.add(heat)
    ArticleFactory(title="Scheduled sibling", publish_at=NOW + datetime.timedelta(hours=1)).organizations.add(heat)
    ArticleFactory(title="Unrelated")

    related = [a.title for a in client.get("/articles/main/").context["related"]]

    assert related == ["Sibling"]


def test_topic_page_lists_its_published_articles(client, story):
    ArticleFactory(title="Elsewhere")
    ArticleFactory(title="Draft business", status=Article.Status.DRAFT).topics.add(story["topic"])

    response = client.get("/topics/business/")

    assert [a.title for a in response.context["page_obj"]] == [story["article"].title]
    assert "<h1>Business</h1>" in response.content.decode()


def _articles(count):
    topic = TopicFactory()
    for _ in range(count):
        article = ArticleFactory()
        article.topics.add(topic, TopicFactory())


# Every row matches the search ("Article <n>", published an hour ago): a list of one costs what a list of 50 does.
@pytest.mark.parametrize("url", ["/articles/", "/articles/?q=article&year={year}", "/topics/shared/"])
def test_article_listings_run_a_fixed_number_of_queries(client, url):
    url = url.format(year=(timezone.now() - datetime.timedelta(hours=1)).year)
    shared = TopicFactory(slug="shared")

    def grow(count):
        _articles(count)
        for article in Article.objects.all():
            article.topics.add(shared)

    (_, one), (response, fifty) = queries_with_1_and_50_rows(grow, client.get, url)

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 20  # A full page: each row's topics and author were read.
    assert one == fifty <= QUERY_BUDGET


def test_article_page_runs_a_fixed_number_of_queries(client):
    article = ArticleFactory(slug="grown")

    def grow(count):
        for _ in range(count):
            organization, person, technology = OrganizationFactory(), PersonFactory(), TechnologyFactory()
            article.organizations.add(organization)
            article.people.add(person)
            article.technologies.add(technology)
            article.topics.add(TopicFactory())
            article.sources.add(SourceFactory(via=SourceFactory(via=SourceFactory())))
            CorrectionFactory(article=article)
            ArticleFactory().organizations.add(organization)

    (_, one), (response, fifty) = queries_with_1_and_50_rows(grow, client.get, "/articles/grown/")

    assert response.status_code == 200
    assert len(response.context["related"]) == 5
    assert one == fifty <= QUERY_BUDGET


def test_article_without_mentions_or_sources_reads_fine(client):
    article = ArticleFactory(standfirst="", body="Just text.")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["related"]) == []
    assert "Just text." in response.content.decode()


def test_month_filter_reads_as_month_names(client, story):
    html = client.get("/articles/?month=10").content.decode()

    assert '<option value="10" selected>October</option>' in html
    assert "Month: <strong>October</strong>" in html
    assert '<option value="">Any</option>' in html.split('name="month"')[1].split("</select>")[0]
