from django.db import connection
from django.test.utils import CaptureQueriesContext

QUERY_BUDGET = 15


def get_counting_queries(client, url):
    """GET ``url``; return the response and the number of SQL queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)
