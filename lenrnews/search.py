"""The site's one text search, used by every listing's ``q`` filter and by /search/.

Searchable models register a :class:`SearchDocument`: which fields matter most
(weights A, B, C) and which fields are names. How a query is matched depends on the
database:

- **PostgreSQL**: full-text search. Each searchable model stores its weighted
  document vector (title or name and aliases A, standfirst or summary B, body or
  description C) in a ``search_vector`` column that a database trigger keeps current
  on every write, GIN-indexed (``lenrnews/migrations``). The column is matched
  against ``websearch_to_tsquery`` (quoted phrases, ``-word``, ``or``), ranked with
  ``ts_rank`` on the stored vector (no text is parsed again), and the rows shown are
  highlighted with ``ts_headline``. Because stemming alone does not find part of a
  name ("E-Cat", "Brillou"), a row also matches when every word of the query occurs
  in one of its names (or aliases; trigram indexes serve this); such a name hit
  ranks above text hits.
- **SQLite** (development and tests): the ``search_vector`` column stays empty.
  Every word of the query must occur in one of the document's fields
  (case-insensitive ``LIKE``, ASCII case folding only) and no ``-word`` may; quotes
  and ``or`` are ignored. Rows are ranked by where the words occur: title or name
  above standfirst or summary above body or description.

Ranking costs a score per matching row, so it is asked for only where the order is
by relevance (/search/); a listing's ``q`` filter keeps the listing's order.
Models without a document (sources) use the SQLite method on any database, over
the fields their FilterSet names. Queries never fail: they are cut to 500
characters, NUL bytes are dropped, and punctuation is ignored.
"""

import html
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import add, and_, or_

from django.db import connection
from django.db.models import Case, F, FloatField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 500
MAX_TERMS = 10
SEARCH_CONFIG = "english"
_WORD = re.compile(r"\w[\w\-\.']*", re.UNICODE)
# Markers ts_headline and the SQLite snippet put around a hit; they cannot occur in
# escaped text, so the hits can be turned into <mark> after escaping.
_START, _STOP = "\x02", "\x03"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
# Markdown punctuation that reads as noise in a plain-text snippet.
_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_MARKDOWN_NOISE = re.compile(r"[*_`#\[\]]+")


@dataclass(frozen=True)
class SearchDocument:
    """What of a model is searched, and how much each part weighs."""

    weights: dict  # {"A": ("title",), "B": ("standfirst",), "C": ("body",)}
    name_fields: tuple  # matched by substring too: names, aliases, titles
    snippet_fields: tuple  # the text a snippet is cut from, in order
    fields: tuple = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "fields", tuple(f for names in self.weights.values() for f in names))

    def vector(self):
        """The weighted tsvector expression: what the PostgreSQL trigger stores in
        ``search_vector`` (a test checks that the two agree)."""
        from django.contrib.postgres.search import SearchVector

        vectors = [SearchVector(*names, weight=weight, config=SEARCH_CONFIG) for weight, names in self.weights.items()]
        return reduce(add, vectors)


SEARCH_DOCUMENTS = {
    "articles.article": SearchDocument(
        weights={"A": ("title",), "B": ("standfirst",), "C": ("body",)},
        name_fields=("title",),
        snippet_fields=("body",),
    ),
    "organizations.organization": SearchDocument(
        weights={"A": ("name", "aliases"), "B": ("summary",), "C": ("description",)},
        name_fields=("name", "aliases"),
        snippet_fields=("summary", "description"),
    ),
    "organizations.person": SearchDocument(
        weights={"A": ("name", "aliases"), "C": ("bio",)},
        name_fields=("name", "aliases"),
        snippet_fields=("bio",),
    ),
    "organizations.technology": SearchDocument(
        weights={"A": ("name", "aliases"), "B": ("summary",), "C": ("description",)},
        name_fields=("name", "aliases"),
        snippet_fields=("summary", "description"),
    ),
    "investments.investment": SearchDocument(
        weights={"A": ("title",), "B": ("summary",)},
        name_fields=("title",),
        snippet_fields=("summary",),
    ),
}

_SQLITE_WEIGHTS = {"A": 4, "B": 2, "C": 1, "D": 1}


def document_for(model):
    return SEARCH_DOCUMENTS.get(model._meta.label_lower)


def clean_query(value):
    """The query as searched: at most 500 characters, no NUL bytes, trimmed."""
    return (value or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()


def query_terms(value):
    """The words of a query, without possessive endings, at most 10 of them."""
    terms = []
    for word in _WORD.findall(clean_query(value).replace("\u2019", "'")):
        word = re.sub(r"'s$", "", word).strip(".-'")
        if word:
            terms.append(word)
    return terms[:MAX_TERMS]


def has_words(value):
    """Whether the query has anything to search for: punctuation alone has not."""
    return any(split_query(value))


def split_query(value):
    """(words to find, words to exclude), read as websearch reads them: ``-word``
    excludes a word; ``or`` is ignored here (the SQLite fallback needs every word)."""
    wanted, unwanted = [], []
    for token in clean_query(value).split():
        if token.lower() == "or":
            continue
        if token.startswith("-") and len(token) > 1:
            unwanted.append(token[1:])
        else:
            wanted.append(token)
    return query_terms(" ".join(wanted)), query_terms(" ".join(unwanted))


def _any_term_in(terms, fields):
    return reduce(or_, (Q(**{f"{f}__icontains": term}) for term in terms for f in fields))


def _all_terms_in(terms, fields):
    """Every term occurs in at least one of the fields."""
    return reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)) for term in terms))


def uses_full_text(model):
    return connection.vendor == "postgresql" and document_for(model) is not None


def _default_order(queryset):
    return list(queryset.query.order_by or queryset.model._meta.ordering or ["pk"])


def filter_by_text(queryset, value, fields, rank=True):
    """Rows of ``queryset`` matching the query ``value``.

    With ``rank`` (the default), most relevant first, annotated with ``search_rank``;
    without it the queryset keeps its order and no row is scored. ``fields`` are
    searched for models that have no :class:`SearchDocument`; a model with one is
    searched over its document, so a listing's ``q`` and /search/ find the same rows.
    """
    document = document_for(queryset.model)
    if uses_full_text(queryset.model):
        return _full_text(queryset, value, document, rank)
    terms, excluded = split_query(value)
    if not terms and not excluded:
        return queryset
    fields = document.fields if document else fields
    if terms:
        queryset = queryset.filter(_all_terms_in(terms, fields))
    if excluded:
        queryset = queryset.exclude(_any_term_in(excluded, fields))
    return _ranked(queryset, terms, document) if rank and document and terms else queryset


def _full_text(queryset, value, document, rank):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    value = clean_query(value)
    name_terms, excluded = split_query(value)
    if not name_terms and not excluded:
        return queryset  # no word at all ("!!!"): as if empty, as on SQLite
    query = SearchQuery(value, search_type="websearch", config=SEARCH_CONFIG)
    match = Q(search_vector=query)
    name_hit = _all_terms_in(name_terms, document.name_fields) if name_terms else None
    if name_hit is not None and excluded:
        name_hit &= ~_any_term_in(excluded, document.fields)
    if name_hit is not None:
        match |= name_hit
    if not rank:
        return queryset.filter(match)
    score = SearchRank(F("search_vector"), query)
    if name_hit is not None:
        score = score + Case(When(name_hit, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return queryset.filter(match).annotate(search_rank=score).order_by("-search_rank", *_default_order(queryset))


def _ranked(queryset, terms, document):
    """Most relevant first: each word scores by the weight of the fields it occurs in."""
    scores = []
    for weight, names in document.weights.items():
        for term in terms:
            hit = _any_term_in([term], names)
            scores.append(Case(When(hit, then=Value(_SQLITE_WEIGHTS[weight])), default=Value(0)))
    return queryset.annotate(search_rank=reduce(add, scores)).order_by("-search_rank", *_default_order(queryset))


def with_snippets(queryset, value):
    """Annotate ``search_headline`` (PostgreSQL's ts_headline, markers around hits).

    Apply it to the page of results only: headlines are costly. On other databases
    :func:`snippet` cuts the snippet in Python instead.
    """
    if not uses_full_text(queryset.model):
        return queryset
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    document = document_for(queryset.model)
    text = [F(f) for f in document.snippet_fields]
    if len(text) > 1:
        text = [Concat(*[part for f in text for part in (f, Value(" \u2014 "))][:-1], output_field=TextField())]
    return queryset.annotate(
        search_headline=SearchHeadline(
            text[0],
            SearchQuery(clean_query(value), search_type="websearch", config=SEARCH_CONFIG),
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" \u2026 ",
        )
    )


def snippet(obj, value, length=240):
    """Safe HTML: a short excerpt of ``obj``'s text with the query's words in <mark>.

    Uses the PostgreSQL headline when :func:`with_snippets` annotated one.
    """
    headline = getattr(obj, "search_headline", None)
    if headline is not None:
        return _marked_html(plain_text(headline))
    document = document_for(type(obj))
    text = plain_text(" \u2014 ".join(getattr(obj, f) for f in document.snippet_fields if getattr(obj, f)))
    terms = split_query(value)[0]
    return _marked_html(_mark_terms(_excerpt(text, terms, length), terms))


def plain_text(text):
    """Markdown source read as plain text: no link targets, emphasis or heading marks."""
    text = _MARKDOWN_LINK_TARGET.sub("", html.unescape(text or ""))
    return " ".join(_MARKDOWN_NOISE.sub("", text).split())


def _excerpt(text, terms, length):
    """About ``length`` characters of ``text`` around the first hit, on word boundaries."""
    folded = text.casefold()
    hits = [i for i in (folded.find(term.casefold()) for term in terms) if i >= 0]
    start = max(0, min(hits) - length // 3) if hits else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    excerpt = text[start:end].strip()
    return ("\u2026 " if start else "") + excerpt + (" \u2026" if end < len(text) else "")


def _mark_terms(text, terms):
    text = text.replace(_START, "").replace(_STOP, "")
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda m: f"{_START}{m.group()}{_STOP}", text)


def _marked_html(text):
    """Escape everything, then turn the hit markers into <mark>; stray markers go."""
    escaped = escape(text)
    marked = _MARKED.sub(lambda m: f"<mark>{m.group(1)}</mark>", escaped)
    return mark_safe(marked.replace(_START, "").replace(_STOP, ""))
