"""FilterSets of the article listings (page, topic page and API) and of sources.

They narrow; they never decide visibility: give them ``Article.objects.published()``.
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from lenrnews.filters import BooleanFilter, IntegerFilter, SlugFilter, SortFilter, TextSearchFilter
from lenrnews.models import Confidence
from organizations.models import Organization, Person, Technology

from .models import Article, Source, Topic

MONTH_CHOICES = [(n, f"{n:02d}") for n in range(1, 13)]


@extend_schema_field(OpenApiTypes.INT)
class MonthFilter(django_filters.TypedChoiceFilter):
    """A month number, 1 to 12 (typed for the API schema: a date part is no model field)."""


class ArticleFilter(django_filters.FilterSet):
    q = TextSearchFilter(search_fields=["title", "standfirst", "body"])
    topic = SlugFilter(field_name="topics", queryset=Topic.objects.all(), label="Topic (slug)")
    organization = SlugFilter(
        field_name="organizations", queryset=Organization.objects.all(), label="Organization (slug)"
    )
    person = SlugFilter(field_name="people", queryset=Person.objects.all(), label="Person (slug)")
    technology = SlugFilter(field_name="technologies", queryset=Technology.objects.all(), label="Technology (slug)")
    year = IntegerFilter(field_name="publish_at__year", min_value=1900, max_value=2100, label="Year")
    month = MonthFilter(field_name="publish_at__month", choices=MONTH_CHOICES, coerce=int, label="Month")
    ordering = SortFilter(options={"date": "publish_at", "title": "title"})

    class Meta:
        model = Article
        fields = []


class SourceFilter(django_filters.FilterSet):
    """The API's source list."""

    q = TextSearchFilter(search_fields=["title", "publisher", "attributed_to", "quote"])
    self_claim = BooleanFilter(label="Self-claim", help_text="The subject speaking about itself.")
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices, label="Confidence")
    min_confidence = django_filters.ChoiceFilter(
        choices=Confidence.choices, method="filter_min_confidence", label="At least"
    )
    year = IntegerFilter(field_name="published_on__year", min_value=1900, max_value=2100, label="Year")
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
