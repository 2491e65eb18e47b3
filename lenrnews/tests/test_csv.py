"""Every API list answers CSV (``?format=csv`` or ``Accept: text/csv``), streamed; every listing page links it."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investments.models import Investment, RecipientOrganization
from organizations.models import Organization, Person

pytestmark = pytest.mark.django_db

RESOURCES = ["articles", "topics", "organizations", "people", "affiliations", "technologies", "stakes",
             "investments", "events", "sources"]  # fmt: skip


def rows(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def deals():
    heat = Organization.objects.create(name="Industrial Heat", country="US")
    park = Organization.objects.create(name="Baishishan Park", country="CN")
    made = []
    for n in range(30):
        deal = Investment.objects.create(
            title=f"Deal {n:02d}", kind="grant" if n % 2 else "equity", amount=1000 * n, currency="USD"
        )
        RecipientOrganization.objects.create(investment=deal, organization=park if n % 3 else heat, is_lead=True)
        made.append(deal)
    return made


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_answers_csv_with_a_header_row(client, resource):
    by_format = client.get(f"/api/v1/{resource}/?format=csv")
    by_accept = client.get(f"/api/v1/{resource}/", HTTP_ACCEPT="text/csv")
    assert rows(by_format) == rows(by_accept)


def test_the_csv_has_the_filtered_rows_in_the_lists_order_not_one_page(client, deals):
    listed = rows(client.get("/api/v1/investments/?format=csv&kind=grant&ordering=title"))
    assert [row["slug"] for row in listed] == [f"deal-{n:02d}" for n in range(30) if n % 2]
    assert listed[0]["recipients"] == "baishishan-park" and listed[0]["amount"] == "1000.00"
    assert "side=recipient, organization=baishishan-park, is_lead=true" in listed[0]["parties"]
    assert {"slug", "title", "kind", "investors", "recipients", "amount_usd", "status", "confidence"} <= set(listed[0])


def test_a_bad_filter_on_a_csv_list_is_a_json_400(client, deals):
    response = client.get("/api/v1/investments/?format=csv&kind=wedding")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "kind" in response.json()


def test_rows_are_read_in_chunks_as_they_are_written(client):
    Person.objects.bulk_create(Person(name=f"Person {n:04d}", slug=f"person-{n:04d}") for n in range(1200))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/people/?format=csv")
        stream = iter(response.streaming_content)
        header, first = next(stream), next(stream)
        before = len(queries)
        rest = list(stream)
    assert b"slug" in header and b"person-0000" in first
    assert len(rest) == 1199
    # The first chunk was written before the others (and their roles) were read from the database.
    assert len(queries) > before


def test_every_listing_page_links_its_csv_with_its_filters_only(client, deals):
    page = client.get("/investments/?kind=grant&utm_source=newsletter").content.decode()
    assert 'href="/api/v1/investments/?kind=grant&amp;format=csv"' in page
    for url in ("/articles/", "/organizations/", "/technologies/", "/people/", "/events/"):
        response = client.get(url)
        assert response.status_code == 200
