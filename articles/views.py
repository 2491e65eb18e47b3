"""Public article pages. Everything starts from ``Article.objects.published()``."""

import calendar
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from lenrnews.listing import PAGE_SIZE, FilteredListView

from .filters import ArticleFilter
from .models import Article, Author, Correction, OrganizationMention, PersonMention, Source, TechnologyMention, Topic

RELATED_COUNT = 5
# What a listing's card shows of an article; its body is only read on its own page.
BODY_FIELDS = ("body", "body_html")


def sources_with_chain():
    """Sources with the chain they came through loaded (up to four hops) in the same query."""
    return Source.objects.select_related("publisher_organization", "via__via__via")


def public_articles():
    return Article.objects.published().defer(*BODY_FIELDS).with_bylines().prefetch_related("topics")


class ArticleListView(FilteredListView):
    filterset_class = ArticleFilter
    api_basename = "article"
    template_name = "articles/article_list.html"
    text_input_filters = ("organization", "person")

    def get_queryset(self):
        return public_articles()

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        # Same values (1-12), readable names.
        months = [(n, calendar.month_name[n]) for n in range(1, 13)]
        filterset.form.fields["month"].choices = [("", "Any"), *months]
        return filterset


class TopicDetailView(ArticleListView):
    """One topic's articles, with the same filters as the article listing."""

    template_name = "articles/topic_detail.html"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return public_articles().filter(topics=self.topic)

    def csv_url(self):
        url = super().csv_url()
        return url and f"{url}&{urlencode({'topic': self.topic.slug})}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


class AuthorDetailView(ArticleListView):
    """An author's page: their bio and links, then their published articles with the listing's filters."""

    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return public_articles().filter(authors=self.author)

    def csv_url(self):
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_articles(self):
        """Which articles this page may show: the published ones (the preview widens it)."""
        return Article.objects.published()

    def get_queryset(self):
        return (
            self.get_articles()
            .with_bylines()
            .prefetch_related(
                "topics",
                "organizations",
                "people",
                "technologies",
                "corrections",
                Prefetch("sources", queryset=sources_with_chain()),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        # One subquery per kind of mention (each uses its index); joining the three
        # mention tables with OR and DISTINCT made the database read every mention.
        organizations = [o.pk for o in article.organizations.all()]
        people = [p.pk for p in article.people.all()]
        technologies = [t.pk for t in article.technologies.all()]
        shared = (
            Q(pk__in=OrganizationMention.objects.filter(organization__in=organizations).values("article"))
            | Q(pk__in=PersonMention.objects.filter(person__in=people).values("article"))
            | Q(pk__in=TechnologyMention.objects.filter(technology__in=technologies).values("article"))
        )
        context["related"] = (
            Article.objects.published()
            .exclude(pk=article.pk)
            .filter(shared)
            .only("slug", "title", "publish_at")[:RELATED_COUNT]
        )
        return context


class CorrectionListView(ListView):
    """Every correction to a published article, newest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=Article.objects.published())
            .select_related("article")
            .defer("article__body", "article__body_html")
            .order_by("-published_on", "-id")
        )


class TopicListView(ListView):
    """Every topic with how many published articles it has, busiest first."""

    template_name = "articles/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        published = Article.objects.published()
        return Topic.objects.annotate(
            article_count=Count("articles", filter=Q(articles__in=published), distinct=True)
        ).order_by("-article_count", "name")
