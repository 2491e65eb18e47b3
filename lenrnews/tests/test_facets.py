"""Listing filters show how many rows each option would give, with every other filter as set."""

import re

import pytest

from investments.models import Investment
from lenrnews.tests.query_counts import queries_with_1_and_50_rows
from organizations.models import Organization, Technology

pytestmark = pytest.mark.django_db


def option_labels(html, name):
    return dict(re.findall(rf'name="{name}" value="([^"]+)"[^>]*>\s*([^<]+?)</label>', html))


def test_each_kind_says_how_many_organizations_it_would_give_with_the_other_filters(client):
    for n in range(5):
        Organization.objects.create(name=f"US company {n}", kind="company", country="US")
    Organization.objects.create(name="US lab", kind="research_lab", country="US")
    Organization.objects.create(name="Italian company", kind="company", country="IT")
    html = client.get("/organizations/?country=US").content.decode()
    labels = option_labels(html, "kind")
    assert labels["company"] == "Company (5)" and labels["research_lab"] == "Research lab (1)"
    assert labels["investor"] == "Investor (0)"
    # The country list offers only countries with rows (and keeps the one chosen).
    countries = html[html.index('name="country"') :]
    countries = countries[: countries.index("</select>")]
    assert re.findall(r'<option value="([A-Z]{2})"', countries) == ["IT", "US"]
    assert "United States of America (6)" in countries or "United States (6)" in countries


def test_deal_facets_count_kinds_confidence_and_status(client):
    for n, (kind, level) in enumerate([("grant", "rumored"), ("grant", "confirmed"), ("equity", "rumored")]):
        Investment.objects.create(title=f"Deal {n}", kind=kind, confidence=level)
    html = client.get("/investments/?kind=grant").content.decode()
    assert option_labels(html, "confidence")["rumored"] == "Rumored (1)"
    assert option_labels(html, "kind")["equity"] == "Equity (1)"  # counted without the kind filter itself
    assert option_labels(html, "status")["announced"] == "Announced (2)"


def test_technology_facets(client):
    Technology.objects.create(name="A", approach="ni_h", stage="prototype")
    Technology.objects.create(name="B", approach="ni_h", stage="unknown")
    html = client.get("/technologies/").content.decode()
    assert option_labels(html, "approach")["ni_h"] == "Ni-H (2)"
    assert option_labels(html, "stage")["unknown"] == "Unknown (1)"


@pytest.mark.parametrize("url", ["/organizations/?kind=company", "/investments/", "/technologies/?stage=prototype"])
def test_facets_cost_the_same_queries_whatever_the_rows(client, url):
    made = [0]

    def grow(count):
        for _ in range(count):
            n = made[0] = made[0] + 1
            Organization.objects.create(name=f"Org {n}", kind="company", country=["US", "IT", "JP"][n % 3])
            Investment.objects.create(title=f"Deal {n}", kind="grant")
            Technology.objects.create(name=f"Tech {n}", stage="prototype", approach="ni_h")

    (one, one_count), (fifty, fifty_count) = queries_with_1_and_50_rows(grow, client.get, url)
    assert one.status_code == fifty.status_code == 200
    assert one_count == fifty_count
