"""FilterSets of the article listings (page, topic page and API) and of sources.

They narrow; they never decide visibility: give them ``Article.objects.published()``.
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from lenrnews.filters import EntityFilter, IntegerFilter, SlugFilter, SortFilter, TextSearchFilter
from lenrnews.lookups import doi_lookup, url_lookup
from organizations.models import Organization, Person, Technology

from .models import Article, Source, Topic

MONTH_CHOICES = [(n, f"{n:02d}") for n in range(1, 13)]


@extend_schema_field(OpenApiTypes.INT)
class MonthFilter(django_filters.TypedChoiceFilter):
    """A month number, 1 to 12 (typed for the API schema: a date part is no model field)."""


class ArticleFilter(django_filters.FilterSet):
    q = TextSearchFilter(search_fields=["title", "standfirst", "body"])
    topic = EntityFilter(field_name="topics", querysets=[Topic.objects.all()], label="Topic (name or slug)")
    organization = EntityFilter(
        field_name="organizations", querysets=[Organization.objects.all()], label="Organization (name or slug)"
    )
    person = EntityFilter(field_name="people", querysets=[Person.objects.all()], label="Person (name or slug)")
    technology = EntityFilter(
        field_name="technologies", querysets=[Technology.objects.all()], label="Technology (name or slug)"
    )
    year = IntegerFilter(field_name="publish_at__year", min_value=1900, max_value=2100, label="Year")
    month = MonthFilter(field_name="publish_at__month", choices=MONTH_CHOICES, coerce=int, label="Month")
    ordering = SortFilter(options={"date": "publish_at", "title": "title"})

    class Meta:
        model = Article
        fields: list[str] = []


class SourceFilter(django_filters.FilterSet):
    """The API's source list. Whether a source is a self-claim depends on the claim it is cited for, so it
    is filtered on the claims (``self_claim``), not here."""

    q = TextSearchFilter(search_fields=["title", "publisher", "attributed_to", "quote"])
    url = url_lookup()
    doi = doi_lookup()
    kind = django_filters.MultipleChoiceFilter(choices=Source.Kind.choices, label="Kind")
    speaker = SlugFilter(
        field_name="speaker_organization", queryset=Organization.objects.all(), label="Speaking organization (slug)"
    )
    year = IntegerFilter(field_name="published_on__year", min_value=1900, max_value=2100, label="Year")
    ordering = SortFilter(options={"date": "published_on", "title": "title"})

    class Meta:
        model = Source
        fields: list[str] = []


class TopicFilter(django_filters.FilterSet):
    """The API's topic list."""

    q = TextSearchFilter(search_fields=["name", "description"])
    ordering = SortFilter(options={"name": "name", "updated": "updated_at"})

    class Meta:
        model = Topic
        fields: list[str] = []
