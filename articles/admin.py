"""A minimal admin for articles, topics and sources.

Placeholder until the editorial workflow's admin lands: it registers the models
with the search fields that other admins' autocomplete widgets need.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Source, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "confidence", "self_claim"]
    list_filter = ["confidence", "self_claim"]
    search_fields = ["title", "publisher", "attributed_to", "url"]
    autocomplete_fields = ["publisher_organization", "via"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "publish_at"]
    list_filter = ["status"]
    search_fields = ["title", "standfirst"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "publish_at"
    autocomplete_fields = ["topics", "sources"]
