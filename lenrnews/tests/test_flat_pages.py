"""No page's bytes or queries grow with the rows of a table it does not list.

A listing's filter form used to write every technology (or topic, or organization) as
an option; now it offers a bounded list of names. Measured at two sizes of the tables
the pages do not list.
"""

import pytest

from articles.models import Topic
from lenrnews.tests.query_counts import count_queries
from organizations.models import Organization, Person, Technology

pytestmark = pytest.mark.django_db


def grow(n, start):
    Technology.objects.bulk_create(
        Technology(name=f"Technology {start + i:04d}", slug=f"t-{start + i}") for i in range(n)
    )
    Topic.objects.bulk_create(Topic(name=f"Topic {start + i:04d}", slug=f"topic-{start + i}") for i in range(n))
    Person.objects.bulk_create(Person(name=f"Person {start + i:04d}", slug=f"p-{start + i}") for i in range(n))
    Organization.objects.bulk_create(
        Organization(name=f"Organization {start + i:04d}", slug=f"o-{start + i}") for i in range(n)
    )


def measure(client, url):
    response, queries = count_queries(client.get, url)
    assert response.status_code == 200
    return len(response.content), queries


@pytest.mark.parametrize("url", ["/articles/", "/investments/", "/events/"])
def test_listings_of_other_rows_weigh_the_same_at_two_sizes(client, url):
    grow(60, 0)
    small = measure(client, url)
    grow(300, 1000)
    large = measure(client, url)
    assert large == small
