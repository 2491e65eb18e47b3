"""Counting SQL queries, and the no-N+1 check: the same number of queries for 1 row and for 50."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The most a page may cost. The richest, an organization's, costs 16: itself, subsidiaries,
# stakes (with their sources and reports), roles, articles and their topics, the sources of
# its facts, events, and deals with their parties and technologies.
QUERY_BUDGET = 17


def count_queries(function, *args, **kwargs):
    """Call ``function(*args, **kwargs)``; return what it returned and the number of SQL queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        result = function(*args, **kwargs)
    return result, len(queries)


def queries_with_1_and_50_rows(grow, function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` after ``grow(1)`` and again after ``grow(49)``, counting queries.

    ``grow(count)`` adds ``count`` rows (to a listing, or to what one page shows). Returns
    ``(result, queries)`` of the call with one row, then of the call with fifty: without
    an N+1 the two counts are equal. ``queries_with_1_and_50_rows(grow, client.get, url)``
    checks a page.
    """
    grow(1)
    with_one = count_queries(function, *args, **kwargs)
    grow(49)
    return with_one, count_queries(function, *args, **kwargs)


# What the charts add to an entity's page (organization, person, technology): the money chart (one
# query) and the timeline and network (for the entity, then for its neighbours: the deals and events
# that name them, and their links; then the names).
CHART_QUERY_BUDGET = 6
