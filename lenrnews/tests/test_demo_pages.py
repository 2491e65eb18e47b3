"""Every public page works on the demo data (the seed article and what it names)."""

import pytest
from django.core.management import call_command

from articles.models import Article, Topic
from investments.models import Investment
from organizations.models import Organization, Person, Technology

pytestmark = pytest.mark.django_db


def test_every_public_page_renders_on_the_demo_data(client):
    call_command("load_demo", verbosity=0)
    urls = ["/", "/articles/", "/organizations/", "/technologies/", "/people/", "/investments/"]
    for model in (Organization, Person, Technology, Investment, Topic):
        urls += [obj.get_absolute_url() for obj in model.objects.all()]
    urls += [article.get_absolute_url() for article in Article.objects.published()]

    statuses = {url: client.get(url).status_code for url in urls}

    assert set(statuses.values()) == {200}, statuses
    assert len(urls) > 20


def test_demo_industrial_heat_page_shows_e_cat_and_the_baishishan_deal(client):
    call_command("load_demo", verbosity=0)
    heat = Organization.objects.get(name="Industrial Heat")

    html = client.get(heat.get_absolute_url()).content.decode()

    portfolio = html[html.index('id="portfolio-heading"') : html.index('id="received-heading"')]
    assert ">E-Cat</a>" in portfolio
    made = html[html.index('id="made-heading"') : html.index('id="people-heading"')]
    assert "Baishishan" in made
    assert 'class="badge badge--' in made
