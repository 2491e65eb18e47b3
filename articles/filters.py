"""FilterSets of the article listings (page, topic page and API) and of sources.

They narrow; they never decide visibility: give them ``Article.objects.published()``.
"""

import django_filters

from lenrnews.filters import BooleanFilter, IntegerFilter, SlugFilter, SortFilter, TextSearchFilter
from lenrnews.models import Confidence
from organizations.models import Organization, Person, Technology

from .models import Article, Source, Topic

MONTH_CHOICES = [(n, f"{n:02d}") for n in range(1, 13)]


class ArticleFilter(django_filters.FilterSet):
    q = TextSearchFilter(search_fields=["title", "standfirst", "body"])
    topic = SlugFilter(field_name="topics", queryset=Topic.objects.all(), label="Topic (slug)")
    organization = SlugFilter(
        field_name="organizations", queryset=Organization.objects.all(), label="Organization (slug)"
    )
    person = SlugFilter(field_name="people", queryset=Person.objects.all(), label="Person (slug)")
    technology = SlugFilter(field_name="technologies", queryset=Technology.objects.all(), label="Technology (slug)")
    year = IntegerFilter(field_name="publish_at__year", min_value=1900, max_value=2100, label="Year")
    month = django_filters.TypedChoiceFilter(
        field_name="publish_at__month", choices=MONTH_CHOICES, coerce=int, label="Month"
    )
    ordering = SortFilter(options={"date": "publish_at", "title": "title"})

    class Meta:
        model = Article
        fields = []


class SourceFilter(django_filters.FilterSet):
    """The API's source list."""

    q = TextSearchFilter(search_fields=["title", "publisher", "attributed_to", "quote"])
    self_claim = BooleanFilter(help_text="The subject speaking about itself.")
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices)
    min_confidence = django_filters.ChoiceFilter(choices=Confidence.choices, method="filter_min_confidence")
    year = IntegerFilter(field_name="published_on__year", min_value=1900, max_value=2100)
    ordering = SortFilter(options={"date": "published_on", "title": "title"})

    class Meta:
        model = Source
        fields = []

    def filter_min_confidence(self, queryset, name, value):
        return queryset.filter(confidence__in=Confidence.at_least(value))


class TopicFilter(django_filters.FilterSet):
    """The API's topic list."""

    q = TextSearchFilter(search_fields=["name", "description"])
    ordering = SortFilter(options={"name": "name", "updated": "updated_at"})

    class Meta:
        model = Topic
        fields = []
