"""The site's one text search, used by every listing's ``q`` filter and by /search/.

This simple version matches every word of the query (case-insensitively) in any
of the given fields; possessives ("Rossi's") are reduced to the name.
"""

import re
from functools import reduce
from operator import and_, or_

from django.db.models import Q

MAX_QUERY_LENGTH = 500
_WORD = re.compile(r"\w[\w\-\.']*", re.UNICODE)


def query_terms(value):
    """The words of a query, without possessive endings, at most 10 of them."""
    value = (value or "")[:MAX_QUERY_LENGTH]
    terms = []
    for word in _WORD.findall(value.replace("\u2019", "'")):
        word = re.sub(r"'s$", "", word).strip(".-")
        if word:
            terms.append(word)
    return terms[:10]


def filter_by_text(queryset, value, fields):
    terms = query_terms(value)
    if not terms:
        return queryset
    clauses = [reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields)) for term in terms]
    return queryset.filter(reduce(and_, clauses))
