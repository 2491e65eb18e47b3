"""Deleting a topic or a source others link to is refused, naming them, through the API and the admin."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from articles.models import Source, Topic
from articles.tests.factories import ArticleFactory, SourceFactory, TopicFactory
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.api_support import API, client_for, editor

pytestmark = pytest.mark.django_db


def test_a_topic_used_by_articles_is_not_deleted_through_the_api():
    topic = TopicFactory(slug="ni-h")
    ArticleFactory(title="Nickel at work").topics.add(topic)
    ArticleFactory(title="In the trash").topics.add(topic)
    Topic.objects.get(pk=topic.pk).articles.get(title="In the trash").trash()
    response = client_for(editor()).delete(f"{API}topics/ni-h/")
    assert response.status_code == 409
    body = response.json()
    assert "2 other record(s)" in body["detail"]
    assert {"type": "article", "name": "In the trash"} in body["referred_to_by"]
    assert {"type": "article", "name": "Nickel at work"} in body["referred_to_by"]
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_a_source_cited_by_an_article_or_a_deal_is_not_deleted_through_the_api():
    source = SourceFactory()
    ArticleFactory(title="Citing article").sources.add(source)
    InvestmentFactory(title="Citing deal").sources.add(source)
    response = client_for(editor()).delete(f"{API}sources/{source.pk}/")
    assert response.status_code == 409
    names = {item["name"] for item in response.json()["referred_to_by"]}
    assert names == {"Citing article", "Citing deal"}
    assert Source.objects.filter(pk=source.pk).exists()


def test_a_source_others_came_via_is_not_deleted_through_the_api():
    vortex = SourceFactory(title="Vortex-L post", publisher="")
    SourceFactory(title="E-Cat World relay", publisher="", via=vortex)
    response = client_for(editor()).delete(f"{API}sources/{vortex.pk}/")
    assert response.status_code == 409
    assert response.json()["referred_to_by"] == [{"type": "source", "name": "E-Cat World relay"}]


def test_an_unlinked_topic_or_source_is_deleted():
    TopicFactory(slug="unused")
    source = SourceFactory()
    assert client_for(editor()).delete(f"{API}topics/unused/").status_code == 204
    assert client_for(editor()).delete(f"{API}sources/{source.pk}/").status_code == 204
    assert not Topic.objects.filter(slug="unused").exists()


def test_the_admin_refuses_to_delete_a_linked_topic_and_lists_the_articles(client):
    topic = TopicFactory(name="Pd-D")
    ArticleFactory(title="Palladium report").topics.add(topic)
    client.force_login(editor())
    url = reverse("admin:articles_topic_delete", args=[topic.pk])
    page = client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in page
    assert "Palladium report" in page
    refused = client.post(url, {"post": "yes"})
    assert refused.status_code == 200
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_the_admin_bulk_delete_refuses_a_linked_source(client):
    source = SourceFactory(title="Cited report")
    ArticleFactory(title="The citing article").sources.add(source)
    client.force_login(editor())
    response = client.post(
        reverse("admin:articles_source_changelist"),
        {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [source.pk], "post": "yes"},
    )
    assert "The citing article" in response.content.decode()
    assert Source.objects.filter(pk=source.pk).exists()
