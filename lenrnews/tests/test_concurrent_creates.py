"""Two creates at the same moment that make the same slug: one is created, the other told why (409 or 400), never
a 500. On PostgreSQL only, where requests run side by side (run with DATABASE_URL=postgres://...)."""

import json
import threading

import pytest
from django.db import connection, connections

from lenrnews.tests.api_support import API, client_for, editor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"),
]

ROUNDS = 6
PAYLOADS = {
    "articles": lambda n: {"title": f"Industrial Heat in China {n}", "body": "Text."},
    "topics": lambda n: {"name": f"Industry {n}"},
    "organizations": lambda n: {"name": f"Industrial Heat {n}"},
    "people": lambda n: {"name": f"Tom Darden {n}"},
    "technologies": lambda n: {"name": f"E-Cat {n}"},
    "investments": lambda n: {"title": f"IH joins the park {n}", "kind": "technology_transfer"},
    "events": lambda n: {"title": f"Rossi sues IH {n}", "kind": "lawsuit_filed"},
}


def post_together(path, payload, token_user):
    """POST the same payload from two threads released at once; their status codes, sorted."""
    barrier = threading.Barrier(2)
    statuses = []
    bodies = []

    def post():
        try:
            client = client_for(token_user)
            barrier.wait()
            response = client.post(path, payload, format="json")
            statuses.append(response.status_code)
            bodies.append((response.status_code, response.content))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses), bodies


@pytest.mark.parametrize("resource", list(PAYLOADS))
def test_two_simultaneous_creates_of_one_slug_give_a_201_and_a_409_or_400(resource):
    user = editor()
    client_for(user)  # its token, made before the threads start
    for n in range(ROUNDS):
        statuses, bodies = post_together(f"{API}{resource}/", PAYLOADS[resource](n), user)
        assert statuses[0] == 201 and statuses[1] in (400, 409), (statuses, bodies)
        refused = json.loads(next(body for status, body in bodies if status != 201))
        # Told why: the clash found at the database (detail), or by validation once the first has committed
        # (the slug, or a topic's name, which is unique too).
        assert refused.get("detail") or refused.get("slug") or refused.get("name"), refused
    listed = client_for(user).get(f"{API}{resource}/", {"page_size": 50}).json()
    assert listed["count"] == ROUNDS
