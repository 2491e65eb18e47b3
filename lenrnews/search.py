"""The site's one text search, used by every listing's ``q`` filter and by /search/.

A searchable model declares what is searched and how much each field weighs, as a
class attribute: ``search_fields = {"title": "A", "standfirst": "B", "body": "C"}``
(weights A, B, C, D, heaviest first). Its weight-A fields are its names, also matched
by part ("E-Cat", "Brillou"); a snippet is cut from the other fields, or from those
``search_snippet_fields`` names. It also has a ``search_vector`` column and migrations
with :class:`lenrnews.search_migrations.StoreSearchVector` (PostgreSQL) and
:class:`lenrnews.search_migrations.StoreSearchIndex` (SQLite), which keep the
database's index current on every write. This module imports no app: it reads the
declarations of the models it is given. Both databases read a query the same way
(as PostgreSQL's ``websearch_to_tsquery`` does): every word must occur, a quoted
phrase must occur as written, ``-word`` excludes, ``or`` offers alternatives. A row
matches when its text holds the words (stemmed: "reactor" finds "reactors"), or when
its names hold every word, by part.

- **PostgreSQL**: each searchable model stores its weighted document vector in its
  ``search_vector`` column, which a database trigger keeps current, GIN-indexed.
  The column is matched against ``websearch_to_tsquery``, ranked with ``ts_rank``
  on the stored vector, and the rows shown are highlighted with ``ts_headline``.
  Part-of-a-name matches are ``icontains`` on the names (trigram indexes serve
  them), so a name also matches by the middle of a word; a word shorter than three
  letters, which has no trigram, is matched as a word only.
- **SQLite**: each searchable model has two FTS5 tables over the model's table
  (external content: they hold an index, not a copy of the text), which triggers
  keep current: ``<table>_fts`` over every searched field, words stemmed (Porter),
  and ``<table>_fts_names`` over the names, words as written. The words are matched
  as tokens in the first, and by their start in the second (``"brillou"*``), where
  that reads the names' index rather than every article's. Rows are ranked with
  ``bm25`` (each field weighing as its letter says; a name hit by the names' bm25)
  and highlighted with FTS5's ``snippet``.

On both, a name hit ranks above text hits. Ranking costs a score per row, so it is
asked for only where the order is by relevance (/search/), and it scores a bounded
set of candidates: the most recently added rows that match by name and those that
match at all (:data:`RANKED_CANDIDATES` of each), so a word found in every article
costs what a rare one does. A listing's ``q`` filter keeps the listing's order and
finds every match; :func:`count_matches` counts them up to :data:`COUNT_LIMIT`
(/search/ then says "more than"). Models that declare no search fields (sources)
use ``icontains`` on any database, over the fields their FilterSet names. Queries
never fail: they are cut to 500 characters, NUL bytes are dropped, punctuation is
ignored, and nothing a reader types is read as FTS5 or tsquery syntax.
"""

import html
import re
from dataclasses import dataclass, field
from functools import cache, reduce
from operator import add, and_, or_
from typing import NamedTuple

from django.apps import apps as django_apps
from django.core import checks
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Greatest, Lower, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 500
MAX_TERMS = 10
SEARCH_CONFIG = "english"
# Ranked search scores at most this many name hits and as many other matches (the
# most recently added of each); the page shows ten.
RANKED_CANDIDATES = 100
# On PostgreSQL a word matches part of a name from this many characters on ("Brillou";
# "IH" is matched as a word).
MIN_PART = 3
# The characters of a row's text PostgreSQL's headline reads, around the first hit.
HEADLINE_WINDOW = 1500
# /search/ counts each kind of result up to this many, then says "more than" (counting
# reads every row counted).
COUNT_LIMIT = 100
# SQLite's FTS5 tables, case and accents folded: every field with its words stemmed as
# PostgreSQL's english configuration does, and the names as written (matched by their start).
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
FTS_NAMES_TOKENIZER = "unicode61 remove_diacritics 2"
# bm25's weight per column, in the proportions of ts_rank's default weights (A 1.0, B 0.4, C 0.2, D 0.1).
FTS_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}
_WORD = re.compile(r"[^\W_][\w\-\.']*", re.UNICODE)
# What FTS5's unicode61 tokenizer keeps of a word: its runs of letters and digits.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# A query item: an optionally negated quoted phrase (closed or not), or a bare token.
_QUERY_ITEM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
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

    weights: dict  # {"A": ("title",), "B": ("standfirst",), "C": ("body",)}, heaviest first
    snippet_fields: tuple  # the text a snippet is cut from, in order
    fields: tuple = field(init=False)
    name_fields: tuple = field(init=False)  # matched by part too: names, aliases, titles

    def __post_init__(self):
        object.__setattr__(self, "fields", tuple(f for names in self.weights.values() for f in names))
        object.__setattr__(self, "name_fields", self.weights.get("A", ()))

    @classmethod
    def from_search_fields(cls, search_fields, snippet_fields=None):
        """The document of a ``search_fields`` declaration ({field: weight})."""
        weights = {}
        for weight in WEIGHTS:
            names = tuple(name for name, declared in search_fields.items() if declared == weight)
            if names:
                weights[weight] = names
        if snippet_fields is None:
            snippet_fields = [name for name, weight in search_fields.items() if weight != "A"]
        return cls(weights=weights, snippet_fields=tuple(snippet_fields))

    def vector(self):
        """The weighted tsvector expression: what the PostgreSQL trigger stores in
        ``search_vector`` (a test checks that the two agree)."""
        from django.contrib.postgres.search import SearchVector

        vectors = [SearchVector(*names, weight=weight, config=SEARCH_CONFIG) for weight, names in self.weights.items()]
        return reduce(add, vectors)


WEIGHTS = "ABCD"


@cache
def document_for(model):
    """The :class:`SearchDocument` the model declares (``search_fields``), or None."""
    search_fields = getattr(model, "search_fields", None)
    if not search_fields:
        return None
    return SearchDocument.from_search_fields(search_fields, getattr(model, "search_snippet_fields", None))


def search_fields_problems(model):
    """What is wrong with the model's ``search_fields``: each names a text field of the
    model weighing A to D, at least one weighs A (a name), and the model has the
    ``search_vector`` column."""
    search_fields = getattr(model, "search_fields", None)
    if not search_fields:
        return []
    fields = {f.name: f for f in model._meta.concrete_fields}
    named = [*search_fields, *(getattr(model, "search_snippet_fields", None) or ())]
    problems = [
        f"'{name}' is not a text field" for name in named if not isinstance(fields.get(name), CharField | TextField)
    ]
    problems += [
        f"'{name}' weighs '{weight}', not one of A, B, C, D"
        for name, weight in search_fields.items()
        if weight not in WEIGHTS
    ]
    if "A" not in search_fields.values():
        problems.append("no field weighs A (a name or title)")
    if "search_vector" not in fields:
        problems.append("the model has no search_vector column")
    return problems


def check_search_fields(app_configs=None, **kwargs):
    """System check: every model's search declaration makes sense (:func:`search_fields_problems`)."""
    configs = app_configs or django_apps.get_app_configs()
    return [
        checks.Error(f"{model._meta.label}.search_fields: {problem}.", obj=model, id="lenrnews.E001")
        for config in configs
        for model in config.get_models()
        for problem in search_fields_problems(model)
    ]


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
    parsed = parse_query(value)
    return bool(parsed.groups or parsed.excluded)


def split_query(value):
    """(words to find, words to exclude), read as websearch reads them: ``-word``
    excludes a word; ``or`` is ignored here (a name hit needs every word)."""
    wanted, unwanted = [], []
    for token in clean_query(value).split():
        if token.lower() == "or":
            continue
        if token.startswith("-") and len(token) > 1:
            unwanted.append(token[1:])
        else:
            wanted.append(token)
    return query_terms(" ".join(wanted)), query_terms(" ".join(unwanted))


class Phrase(NamedTuple):
    """A word or a quoted phrase: its text ("E-Cat", "Tom Darden") and its tokens, the
    runs of letters and digits a full-text index keeps ("E", "Cat")."""

    text: str
    tokens: tuple


@dataclass(frozen=True)
class ParsedQuery:
    """A query as ``websearch_to_tsquery`` reads it: every group must match (one of its
    :class:`Phrase` at least) and no excluded phrase may."""

    groups: tuple = ()
    excluded: tuple = ()


def parse_query(value):
    """The :class:`ParsedQuery` of the text a reader typed, at most 10 phrases."""
    groups, excluded = [], []
    alternative = False  # "or" followed a phrase to find: the next one joins its group
    last_wanted = False
    phrases_seen = 0
    for item in _QUERY_ITEM.finditer(clean_query(value).replace("\u2019", "'")):
        negated, quoted, bare = item.groups()
        if bare is not None:
            if bare.lower() == "or":
                alternative = last_wanted
                continue
            if bare.startswith("-") and len(bare) > 1:
                negated, bare = "-", bare[1:]
            phrases = [Phrase(word, tuple(_TOKEN.findall(word))) for word in query_terms(bare)]
        else:
            phrases = [Phrase(" ".join(quoted.split()), tuple(_TOKEN.findall(quoted)))]
        for phrase in phrases:
            if not phrase.tokens or phrases_seen == MAX_TERMS:
                continue
            phrases_seen += 1
            if negated:
                excluded.append(phrase)
            elif alternative:
                groups[-1].append(phrase)
            else:
                groups.append([phrase])
            alternative, last_wanted = False, not negated
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))


def name_groups(parsed):
    """The groups of a query as a name hit reads them on PostgreSQL, or None when it
    cannot match by name: a word shorter than :data:`MIN_PART` characters is matched
    as a word only (a trigram index has nothing to look up for it: the name pattern
    would read every row)."""
    groups = [[p for p in group if len(p.text) >= MIN_PART] for group in parsed.groups]
    return groups if groups and all(groups) else None


def _name_hit(parsed, document):
    """Every group's words in the names, by part (a phrase as written), and no
    excluded word in any field: ``icontains``, which trigram indexes serve on
    PostgreSQL; None when the query cannot match by name (:func:`name_groups`)."""

    def anywhere(phrases, fields):
        return reduce(or_, (Q(**{f"{f}__icontains": p.text}) for p in phrases for f in fields))

    groups = name_groups(parsed)
    if groups is None:
        return None
    hit = reduce(and_, (anywhere(group, document.name_fields) for group in groups))
    return hit & ~anywhere(parsed.excluded, document.fields) if parsed.excluded else hit


def _any_term_in(terms, fields):
    return reduce(or_, (Q(**{f"{f}__icontains": term}) for term in terms for f in fields))


def _all_terms_in(terms, fields):
    """Every term occurs in at least one of the fields."""
    return reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)) for term in terms))


def uses_full_text(model):
    return connection.vendor == "postgresql" and document_for(model) is not None


def uses_fts5(model):
    return connection.vendor == "sqlite" and document_for(model) is not None


def _default_order(queryset):
    return list(queryset.query.order_by or queryset.model._meta.ordering or ["pk"])


def filter_by_text(queryset, value, fields, rank=True):
    """Rows of ``queryset`` matching the query ``value``.

    Without ``rank`` every matching row, in the queryset's order, none scored (a
    listing's ``q``). With ``rank`` (the default), the best of the candidates, most
    relevant first, annotated with ``search_rank``: every match when there are
    fewer than :data:`RANKED_CANDIDATES`, otherwise the most recently added name
    hits and matches, :data:`RANKED_CANDIDATES` of each. ``fields`` are searched for
    models that have no :class:`SearchDocument`; a model with one is searched over
    its document, so a listing's ``q`` and /search/ find the same rows.
    """
    document = document_for(queryset.model)
    if uses_full_text(queryset.model):
        return _full_text(queryset, value, document, rank)
    if uses_fts5(queryset.model):
        return _fts5(queryset, value, document, rank)
    terms, excluded = split_query(value)
    fields = document.fields if document else fields
    if terms:
        queryset = queryset.filter(_all_terms_in(terms, fields))
    if excluded:
        queryset = queryset.exclude(_any_term_in(excluded, fields))
    return queryset


def count_matches(queryset, value, fields, at_most=None):
    """How many rows of ``queryset`` match ``value``, counting no further than
    ``at_most`` (:data:`COUNT_LIMIT`): ``at_most + 1`` means "more than ``at_most``"."""
    at_most = COUNT_LIMIT if at_most is None else at_most
    if uses_fts5(queryset.model):
        return _fts5_count(queryset, value, at_most)
    return filter_by_text(queryset, value, fields, rank=False).order_by().values("pk")[: at_most + 1].count()


def _newest(queryset, by_key=True):
    """The primary keys of the most recently added rows of ``queryset`` (the
    candidates of a ranked search). ``by_key=False`` sorts an expression instead, so
    that PostgreSQL finds the rows with their indexes and sorts them rather than
    walking the primary key from the end: its estimate of how many rows a name
    pattern matches is a guess, and for a rare name the walk reads the whole table."""
    order = F("pk").desc() if by_key else (F("pk") + 0).desc()
    return queryset.order_by(order).values("pk")[:RANKED_CANDIDATES]


def _full_text(queryset, value, document, rank):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    value = clean_query(value)
    parsed = parse_query(value)
    if not parsed.groups and not parsed.excluded:
        return queryset  # no word at all ("!!!"): as if empty, as on SQLite
    query = SearchQuery(value, search_type="websearch", config=SEARCH_CONFIG)
    text_hit = Q(search_vector=query)
    name_hit = _name_hit(parsed, document)
    match = text_hit | name_hit if name_hit is not None else text_hit
    if not rank:
        return queryset.filter(match)
    # Scoring reads each row's stored vector (kilobytes for an article): only the
    # candidates are scored, not every row a common word matches.
    candidates = _newest(queryset.filter(text_hit))
    score = SearchRank(F("search_vector"), query)
    if name_hit is not None:
        name_hits = _newest(queryset.filter(name_hit), by_key=False)
        candidates = candidates.union(name_hits)  # one IN list: the rows are looked up by key
        score += Case(When(pk__in=name_hits, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return (
        queryset.filter(pk__in=candidates)
        .annotate(search_rank=score)
        .order_by("-search_rank", *_default_order(queryset))
    )


# --- SQLite: FTS5 ---------------------------------------------------------------------


def fts_table(model):
    """The name of the model's FTS5 table on SQLite: every searched field, stemmed."""
    return f"{model._meta.db_table}_fts"


def fts_names_table(model):
    """The name of the model's second FTS5 table: its names only, not stemmed, where
    matching words by their start costs little."""
    return f"{model._meta.db_table}_fts_names"


def fts_weights(document, names_only=False):
    """bm25's weights, one per column of the FTS5 table (the document's fields, heaviest first)."""
    weights = document.weights if not names_only else {"A": document.name_fields}
    return [FTS_WEIGHTS[weight] for weight, names in weights.items() for _name in names]


def _fts5_string(phrase, prefix=False):
    """An FTS5 string: letters and digits only, so nothing in it is syntax; a prefix
    query when asked and its last token is longer than one letter."""
    string = '"' + " ".join(phrase) + '"'
    return string + "*" if prefix and len(phrase[-1]) > 1 else string


def _fts5_all(groups, prefix=False):
    return " AND ".join("(" + " OR ".join(_fts5_string(p.tokens, prefix) for p in group) + ")" for group in groups)


@dataclass(frozen=True)
class Fts5Query:
    """A query's MATCH expressions: ``text`` for the table of every field (whole words),
    ``names`` for the table of names (words by their start), ``excluded`` (the
    ``-words``, in any field) or None."""

    text: str | None
    names: str | None
    excluded: str | None


def fts5_query(value):
    parsed = parse_query(value)
    excluded = " OR ".join(_fts5_string(p.tokens) for p in parsed.excluded) or None
    if not parsed.groups:
        return Fts5Query(None, None, excluded)
    return Fts5Query(_fts5_all(parsed.groups), _fts5_all(parsed.groups, prefix=True), excluded)


def _fts5_rowids(table, expression):
    return RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [expression])


def _fts5_join(queryset, table, expression):
    """``queryset`` joined with the FTS5 table on the rows matching ``expression``: the
    form in which bm25 can be read, and in which SQLite walks the index's matches (in
    rowid order, stopping at a LIMIT) and looks each up in the model's table. The unary
    + keeps it that way whatever the planner's statistics say: the other way round, the
    index would be searched again for each row of the table (and bm25 would count its
    statistics again each time)."""
    model = queryset.model
    where = [f'+"{table}".rowid = "{model._meta.db_table}"."{model._meta.pk.column}"', f'"{table}" MATCH %s']
    return queryset.order_by().extra(tables=[table], where=where, params=[expression])


def _sql(queryset):
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _without_excluded(queryset, query):
    if query.excluded is None:
        return queryset
    return queryset.exclude(pk__in=_fts5_rowids(fts_table(queryset.model), query.excluded))


def _fts5(queryset, value, document, rank):
    query = fts5_query(value)
    queryset = _without_excluded(queryset, query)
    if query.text is None:
        return queryset
    model = queryset.model
    if rank:
        return _fts5_ranked(queryset, query, document)
    # Matched as "pk + 0": an expression, so SQLite cannot look the matches up one by one
    # and sort them all; it walks the listing's own order (an index) and checks each row
    # against the matches, stopping at the page's end (a common word cost 0.9 s, 30 ms now).
    queryset = queryset.alias(search_key=ExpressionWrapper(F("pk") + 0, output_field=IntegerField()))
    return queryset.filter(
        Q(search_key__in=_fts5_rowids(fts_table(model), query.text))
        | Q(search_key__in=_fts5_rowids(fts_names_table(model), query.names))
    )


def _fts5_ranked(queryset, query, document):
    """The candidates, scored: each kind of hit, name or text, is scored with bm25 over
    its own FTS5 table, and over the rowid range of its candidates only (both the
    scoring and the counting of bm25's statistics cost a walk of what they cover);
    a name hit scores 1000 more."""
    model = queryset.model
    arms, params, candidates = [], [], Q()
    for table, expression, names_only, bonus in [
        (fts_names_table(model), query.names, True, 1000.0),
        (fts_table(model), query.text, False, 0.0),
    ]:
        hits = _fts5_join(queryset, table, expression)
        newest = hits.extra(order_by=[f"-{table}.rowid"]).values("pk")[:RANKED_CANDIDATES]
        newest_sql, newest_params = _sql(newest)
        candidates |= Q(pk__in=RawSQL(newest_sql, newest_params))
        weights = ", ".join(str(w) for w in fts_weights(document, names_only))
        scored = hits.extra(
            select={"score": f'{bonus} - bm25("{table}", {weights})'},
            where=[f'"{table}".rowid >= (SELECT MIN(pk) FROM ({newest_sql}))'],
            params=newest_params,
        ).values("pk", "score")
        arm_sql, arm_params = _sql(scored)
        arms.append(arm_sql)
        params += arm_params
    # Computed once for the statement (MATERIALIZED), not once per row.
    materialized = "MATERIALIZED " if connection.Database.sqlite_version_info >= (3, 35) else ""
    table, pk = model._meta.db_table, model._meta.pk.column
    score = RawSQL(
        f"WITH search_top AS {materialized}({' UNION ALL '.join(arms)}) "
        f'SELECT MAX(score) FROM search_top WHERE pk = "{table}"."{pk}"',
        params,
        output_field=FloatField(),
    )
    return queryset.filter(candidates).annotate(search_rank=score).order_by("-search_rank", *_default_order(queryset))


def _fts5_count(queryset, value, at_most):
    query = fts5_query(value)
    queryset = _without_excluded(queryset, query)
    if query.text is None:
        return queryset[: at_most + 1].count()
    with connection.cursor() as cursor:
        cursor.execute(*fts5_count_sql(queryset, query, at_most))
        return min(cursor.fetchone()[0], at_most + 1)


def fts5_count_sql(queryset, query, at_most):
    """The statement counting text hits and name hits, each up to ``at_most + 1``, and
    each row once; and its parameters."""
    model = queryset.model
    arms, params = [], []
    for table, expression in [(fts_table(model), query.text), (fts_names_table(model), query.names)]:
        sql, arm_params = _sql(_fts5_join(queryset, table, expression).values("pk")[: at_most + 1])
        arms.append(f"SELECT pk FROM ({sql})")
        params += arm_params
    return f"SELECT COUNT(*) FROM ({' UNION '.join(arms)})", params


def _fts5_snippet(queryset, value, document):
    query = fts5_query(value)
    if query.text is None:
        return queryset
    model = queryset.model
    fts, table, pk = fts_table(model), model._meta.db_table, model._meta.pk.column
    parts = [f'snippet("{fts}", {document.fields.index(f)}, %s, %s, %s, 24)' for f in document.snippet_fields]
    # A row found by its names only has no text hit: the subquery is NULL, and snippet()
    # cuts the excerpt in Python.
    joined = " || ' \u2014 ' || ".join(parts)
    headline = RawSQL(
        f'SELECT {joined} FROM "{fts}" WHERE "{fts}" MATCH %s AND "{fts}".rowid = "{table}"."{pk}"',
        [_START, _STOP, "\u2026"] * len(parts) + [query.text],
        output_field=TextField(),
    )
    return queryset.annotate(search_headline=headline)


def with_snippets(queryset, value):
    """Annotate ``search_headline``: PostgreSQL's ts_headline or FTS5's snippet, with
    markers around the hits.

    Apply it to the page of results only: headlines are costly. Elsewhere
    :func:`snippet` cuts the snippet in Python instead.
    """
    document = document_for(queryset.model)
    if uses_fts5(queryset.model):
        return _fts5_snippet(queryset, value, document)
    if not uses_full_text(queryset.model):
        return queryset
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    fields = [F(f) for f in document.snippet_fields]
    text = fields[0]
    if len(fields) > 1:
        text = Concat(*[part for f in fields for part in (f, Value(" \u2014 "))][:-1], output_field=TextField())
    parsed = parse_query(value)
    if parsed.groups:
        # ts_headline parses all the text it is given (2 ms for an article): it is given a
        # window around the first occurrence of the first word (the start when not found
        # as written, "reactor" for "reactors").
        first = StrIndex(Lower(text), Lower(Value(parsed.groups[0][0].text)))
        text = Substr(text, Greatest(first - HEADLINE_WINDOW // 5, Value(1)), HEADLINE_WINDOW)
    return queryset.annotate(
        search_headline=SearchHeadline(
            text,
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

    Uses the headline (ts_headline or FTS5 snippet) when :func:`with_snippets` annotated one.
    """
    headline = getattr(obj, "search_headline", None)
    if headline is not None:
        # A field with nothing to show leaves its separator at an end.
        return _marked_html(plain_text(headline).strip(" \u2014"))
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
