"""Mentions: which organizations, people and technologies an article names.

Detection finds them in the text (``article_detect_mentions``, after every save of an
article, from the admin and from the API, and in the background for the articles that
contain a name just added to an entity). A name several entities share is linked to one
of them only with evidence in the text (another of its names, a related entity nearby, a
mention an editor added); otherwise it is left ambiguous (``AmbiguousMention``) for an
editor. An editor adds a mention by hand (``article_add_mention``) or removes one
(``article_remove_mention``: a detected one is rejected, so detection never brings it
back); the published body links the first unambiguous mention of each
(``article_link_mentions``).
"""

import bisect
import html
import itertools
import re
import threading
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Literal

import ahocorasick
import nh3
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from lenrnews.cache import bump_generation
from lenrnews.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES
from lenrnews.models import touch
from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake

from .models import AmbiguousMention, Article, OrganizationMention, PersonMention, TechnologyMention

Kind = Literal["organization", "person", "technology"]
Entity = Organization | Person | Technology
EntityKey = tuple[str, int]  # (kind, pk)

# A short all-caps name ("IH", "JET", "MFMP", "1MW") is matched case-sensitively, so the
# acronym "IH" does not match "ih" in running text.
ACRONYM_RE = re.compile(r"[A-Z0-9&]{2,6}")
MIN_NAME_LENGTH = 2
# Spaces and hyphens inside a name don't count: "E-Cat", "E Cat" and "ECat" are one name,
# "1 MW" and "1MW" another. (An em dash separates clauses, not the parts of a name.)
JOINERS = frozenset(" \t\r\n\f\v\u00a0\u2009\u202f-\u2010\u2011\u2012\u2013")
_DELETE_JOINERS = dict.fromkeys(map(ord, JOINERS))
_JOINER_RE = re.compile(f"[{re.escape(''.join(sorted(JOINERS)))}]")
_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")  # between paragraphs
# Plurals: "E-Cats", "1MW plants"; "es" after a name ending like "Brass" or "Box".
SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
# How close a related entity must be to a shared name to count as evidence, in characters
# (about a paragraph either side).
EVIDENCE_WINDOW = 500
EXCERPT_WIDTH = 120
ENTITY_MODELS: dict[Kind, type[Entity]] = {"organization": Organization, "person": Person, "technology": Technology}
MENTION_MODELS: dict[Kind, type[OrganizationMention | PersonMention | TechnologyMention]] = {
    "organization": OrganizationMention,
    "person": PersonMention,
    "technology": TechnologyMention,
}
REJECTED_FIELDS: dict[Kind, str] = {
    "organization": "rejected_organizations",
    "person": "rejected_people",
    "technology": "rejected_technologies",
}
CANDIDATE_FIELDS: dict[Kind, str] = {
    "organization": "candidate_organizations",
    "person": "candidate_people",
    "technology": "candidate_technologies",
}
VERSION_KEY = "articles:mention-matcher-version"


# --- Names and their variants --------------------------------------------------------


def is_acronym(name: str) -> bool:
    return bool(ACRONYM_RE.fullmatch(name)) and any(c.isalpha() for c in name)


def _fold(text: str) -> str:
    """Lowercase ``text`` keeping every character at its index (so offsets match the original)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class _Squeezed:
    """``text`` without spaces and hyphens, and the way back to the original offsets."""

    def __init__(self, text: str) -> None:
        pieces = _JOINER_RE.split(text)
        self.text = "".join(pieces)
        # Where the squeezed text stands at each character removed: from the n-th on, its
        # characters stand n + 1 places further in the original.
        self._shifts = list(itertools.accumulate(map(len, pieces[:-1])))

    def original(self, index: int) -> int:
        """The index in the original text of the character at ``index`` in the squeezed one."""
        return index + bisect.bisect_right(self._shifts, index)


def name_key(name: str) -> str | None:
    """The form detection compares a name in: without spaces and hyphens, lowercased unless an acronym.

    None for a name too short to detect.
    """
    squeezed = name.strip().translate(_DELETE_JOINERS)
    if len(squeezed) < MIN_NAME_LENGTH:
        return None
    return squeezed if is_acronym(squeezed) else _fold(squeezed)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _word_end(text: str, end: int, key: str) -> int | None:
    """Where the word ending a match at ``end`` ends: ``end``, after a plural ending, or None inside a word.

    "Rossi's" and "Rossi’s" end the word at the apostrophe.
    """
    if end >= len(text) or not _is_word_char(text[end]):
        return end
    endings = ("s", "es") if key.lower().endswith(SIBILANT_ENDINGS) else ("s",)
    for ending in endings:
        stop = end + len(ending)
        if text[end:stop].lower() == ending and (stop >= len(text) or not _is_word_char(text[stop])):
            return stop
    return None


def _written_as_a_name(span: str) -> bool:
    """Not across paragraphs (or title and body), and words written all in lowercase are a phrase.

    "ecat" is the E-Cat, but "industrial heat" is heat for industry, not Industrial Heat.
    """
    if _BLANK_LINE_RE.search(span):
        return False
    return not any(c.isspace() for c in span) or any(c.isupper() for c in span)


@dataclass(frozen=True)
class Match:
    start: int
    end: int  # exclusive
    entities: tuple[EntityKey, ...]
    key: str = ""  # the name as compared (``name_key``)


class MentionMatcher:
    """Aho-Corasick automatons over entity names: one folded, one case-sensitive for acronyms.

    Each key maps to the entities having that name, so a text is scanned once whatever
    the number of entities.
    """

    def __init__(self, names: Iterable[tuple[str, int, str]]) -> None:
        """``names`` yields (kind, pk, name)."""
        folded: dict[str, set[EntityKey]] = {}
        exact: dict[str, set[EntityKey]] = {}
        for kind, pk, name in names:
            key = name_key(name)
            if key is None:
                continue
            (exact if is_acronym(key) else folded).setdefault(key, set()).add((kind, pk))
        self.folded = self._automaton(folded)
        self.exact = self._automaton(exact)
        self.size = len(folded) + len(exact)
        # The entities that share a name with another: only they need evidence.
        self.shared: set[EntityKey] = set().union(
            *(entities for patterns in (folded, exact) for entities in patterns.values() if len(entities) > 1)
        )

    @staticmethod
    def _automaton(patterns: dict[str, set[EntityKey]]) -> ahocorasick.Automaton | None:
        if not patterns:
            return None
        automaton = ahocorasick.Automaton()
        for key, entities in patterns.items():
            automaton.add_word(key, (key, tuple(sorted(entities))))
        automaton.make_automaton()
        return automaton

    def matches(self, text: str) -> list[Match]:
        """Whole-word, non-overlapping matches, leftmost-longest first (a plain form before a plural)."""
        squeezed = _Squeezed(text)
        candidates: list[tuple[int, int, bool, Match]] = []
        for automaton, haystack in ((self.folded, _fold(squeezed.text)), (self.exact, squeezed.text)):
            if automaton is None:
                continue
            for last, (key, entities) in automaton.iter(haystack):
                start, plain_end = squeezed.original(last - len(key) + 1), squeezed.original(last) + 1
                if start > 0 and _is_word_char(text[start - 1]):
                    continue
                end = _word_end(text, plain_end, key)
                if end is None or not _written_as_a_name(text[start:end]):
                    continue
                candidates.append((start, -end, end != plain_end, Match(start, end, entities, key)))
        candidates.sort(key=lambda candidate: candidate[:3])
        chosen: list[Match] = []
        covered_until = 0
        for *_, match in candidates:
            if match.start >= covered_until:
                chosen.append(match)
                covered_until = match.end
        return chosen

    def entities_in(self, text: str) -> set[EntityKey]:
        found: set[EntityKey] = set()
        for match in self.matches(text):
            found.update(match.entities)
        return found


def _entity_names() -> Iterator[tuple[str, int, str]]:
    for kind, model in ENTITY_MODELS.items():
        for pk, name, aliases in model.objects.values_list("pk", "name", "aliases").iterator():
            yield kind, pk, name
            for alias in (aliases or "").splitlines():
                yield kind, pk, alias


@dataclass(frozen=True)
class MentionIndex:
    """What detection needs about every entity: the matcher, and who is related to the entities sharing a name."""

    matcher: MentionMatcher
    related: dict[EntityKey, set[EntityKey]]


_index_lock = threading.Lock()
_index: dict[str, Any] = {"version": None, "index": None}
# Names, and the relations that settle shared names.
FINGERPRINTED_MODELS = (Organization, Person, Technology, Affiliation, TechnologyStake)


def mention_matcher_version() -> tuple[str, tuple[tuple[Any, ...], ...]]:
    """The version of the entity names and relations: changes whenever one is saved or deleted.

    Two parts: a token in the cache that the save/delete signals replace (shared by every
    process when the cache is Redis), and a fingerprint of the tables (row count and
    latest change, in one query) that also catches other processes and bulk writes that
    send no signal, whatever the cache.
    """
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(VERSION_KEY)
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {n}, COUNT(*), MAX({quote('updated_at')}) FROM {quote(model._meta.db_table)}"
        for n, model in enumerate(FINGERPRINTED_MODELS)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        fingerprint = tuple(sorted(cursor.fetchall()))
    return (token, fingerprint)


def mention_matcher_invalidate() -> None:
    """Entities changed: every process rebuilds its matcher before the next detection."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def get_mention_index() -> MentionIndex:
    """The matcher over every entity name and the relations, built once per process and version."""
    version = mention_matcher_version()
    with _index_lock:
        if _index["version"] != version or _index["index"] is None:
            matcher = MentionMatcher(_entity_names())
            _index["index"] = MentionIndex(matcher, entity_relations(matcher.shared))
            _index["version"] = version
        return _index["index"]


def get_mention_matcher() -> MentionMatcher:
    return get_mention_index().matcher


def entity_relations(entities: set[EntityKey]) -> dict[EntityKey, set[EntityKey]]:
    """The entities each of ``entities`` is related to in the database.

    A person and an organization they have a role at; an organization and a technology it
    has a stake in; a technology and its inventors; an organization and its parent. Four
    queries, whatever the number of entities.
    """
    pairs: list[tuple[EntityKey, EntityKey]] = []
    if entities:
        affiliations = Affiliation.objects.values_list("person_id", "organization_id")
        pairs += [(("person", p), ("organization", o)) for p, o in affiliations.iterator()]
        stakes = TechnologyStake.objects.values_list("organization_id", "technology_id")
        pairs += [(("organization", o), ("technology", t)) for o, t in stakes.iterator()]
        inventors = Technology.inventors.through.objects.values_list("person_id", "technology_id")
        pairs += [(("person", p), ("technology", t)) for p, t in inventors.iterator()]
        parents = Organization.objects.filter(parent__isnull=False).values_list("pk", "parent_id")
        pairs += [(("organization", o), ("organization", p)) for o, p in parents.iterator()]
    related: dict[EntityKey, set[EntityKey]] = {}
    for one, other in pairs:
        for entity, relative in ((one, other), (other, one)):
            if entity in entities:
                related.setdefault(entity, set()).add(relative)
    return related


# --- Which entity a shared name means ------------------------------------------------


@dataclass(frozen=True)
class Ambiguity:
    """A shared name with no evidence for one of its entities: an editor decides."""

    key: str
    name: str  # as the text writes it, first occurrence
    excerpt: str
    candidates: frozenset[EntityKey]


@dataclass(frozen=True)
class Detection:
    found: frozenset[EntityKey]
    ambiguous: tuple[Ambiguity, ...]


# Evidence for one of the entities sharing a name, compared in this order: an editor added
# it to this article; another of its names is in the text; an entity related to it is
# named near the shared name.
Evidence = tuple[bool, bool, bool]


def resolve_mentions(
    text: str,
    matches: Iterable[Match],
    *,
    confirmed: set[EntityKey],
    rejected: set[EntityKey],
    related: Mapping[EntityKey, Collection[EntityKey]],
) -> Detection:
    """The entities ``matches`` name in ``text``, and the shared names left to an editor.

    A name of one entity (an editor's rejections left out) names it. A shared name names
    the one candidate with the strongest evidence (``Evidence``: an editor's word first,
    then another of its names, then a related entity nearby); with no evidence, or a tie,
    it is ambiguous. Resolving one name may give evidence for another, so it repeats
    until nothing changes. ``related`` gives the entities related to each candidate.
    """
    positions: dict[EntityKey, list[int]] = {}  # firmly named entities, where
    shared: dict[str, list[Match]] = {}
    for match in matches:
        candidates = set(match.entities) - rejected
        if len(candidates) == 1:
            positions.setdefault(candidates.pop(), []).append(match.start)
        elif candidates:
            shared.setdefault(match.key, []).append(match)
    if not shared:
        return Detection(frozenset(positions), ())
    candidates_of = {key: frozenset(found[0].entities) - rejected for key, found in shared.items()}

    def evidence(candidate: EntityKey, occurrences: list[Match]) -> Evidence:
        related_nearby = any(
            other in confirmed
            or any(
                abs(position - occurrence.start) <= EVIDENCE_WINDOW
                for position in positions.get(other, ())
                for occurrence in occurrences
            )
            for other in related.get(candidate, ())
        )
        return (candidate in confirmed, candidate in positions, related_nearby)

    unresolved = dict(shared)
    changed = True
    while changed and unresolved:
        changed = False
        for key, occurrences in list(unresolved.items()):
            scores = {candidate: evidence(candidate, occurrences) for candidate in candidates_of[key]}
            best = max(scores.values())
            winners = [candidate for candidate, score in scores.items() if score == best]
            if any(best) and len(winners) == 1:
                positions.setdefault(winners[0], []).extend(o.start for o in occurrences)
                del unresolved[key]
                changed = True
    ambiguous = tuple(
        Ambiguity(
            key=key[:300],
            name=text[occurrences[0].start : occurrences[0].end][:300],
            excerpt=_excerpt(text, occurrences[0]),
            candidates=candidates_of[key],
        )
        for key, occurrences in unresolved.items()
    )
    return Detection(frozenset(positions), ambiguous)


def _excerpt(text: str, match: Match) -> str:
    left, right = max(0, match.start - EXCERPT_WIDTH), min(len(text), match.end + EXCERPT_WIDTH)
    excerpt = " ".join(text[left:right].split())
    return f"{'…' if left else ''}{excerpt}{'…' if right < len(text) else ''}"[:300]


# --- Detection -----------------------------------------------------------------------


def article_text(article: Article) -> str:
    return "\n\n".join(part for part in (article.title, article.standfirst, article.body) if part)


def article_detect_mentions(*, article: Article) -> dict[Kind, set[int]]:
    """Link the entities named in the article's title, standfirst and body as its mentions.

    Adds detected mentions (``detected=True``) and drops detected ones no longer in the
    text; never re-adds a mention an editor rejected and never touches mentions an
    editor added by hand (``detected=False``). A shared name with no evidence for one of
    its entities becomes an ``AmbiguousMention`` instead (and stops being one when the
    evidence comes or the name goes). Returns {kind: set of pks detected}.
    """
    text = article_text(article)
    index = get_mention_index()
    matches = index.matcher.matches(text)
    with transaction.atomic():
        existing: dict[Kind, dict[int, bool]] = {
            kind: dict(model.objects.filter(article=article).values_list(f"{kind}_id", "detected"))
            for kind, model in MENTION_MODELS.items()
        }
        rejected: set[EntityKey] = {
            (kind, pk)
            for kind, field in REJECTED_FIELDS.items()
            for pk in getattr(article, field).values_list("pk", flat=True)
        }
        confirmed: set[EntityKey] = {
            (kind, pk) for kind, rows in existing.items() for pk, detected in rows.items() if not detected
        }
        detection = resolve_mentions(text, matches, confirmed=confirmed, rejected=rejected, related=index.related)
        detected: dict[Kind, set[int]] = {}
        for kind, mention_model in MENTION_MODELS.items():
            wanted = {pk for k, pk in detection.found if k == kind}
            field = f"{kind}_id"
            stale = [pk for pk, was_detected in existing[kind].items() if was_detected and pk not in wanted]
            if stale:
                mention_model.objects.filter(article=article, detected=True, **{f"{field}__in": stale}).delete()
            # Any: the rows are of ``mention_model``, which a type checker cannot follow through the loop.
            new_rows: list[Any] = [
                mention_model(article=article, detected=True, **{field: pk})
                for pk in sorted(wanted - existing[kind].keys())
            ]
            mention_model.objects.bulk_create(new_rows)
            detected[kind] = wanted
            if stale or new_rows:
                touch(Article, [article.pk])  # what the article reads as has changed (API clients' updated_since)
        _article_keep_ambiguities(article, detection.ambiguous)
    return detected


def _article_keep_ambiguities(article: Article, ambiguities: Iterable[Ambiguity]) -> None:
    """Make the article's ambiguous mentions those of the latest detection (one query when unchanged)."""
    wanted = {ambiguity.key: ambiguity for ambiguity in ambiguities}
    stored: dict[str, tuple[int, str, str, set[EntityKey]]] = {}
    columns = [CANDIDATE_FIELDS[kind] for kind in ENTITY_MODELS]
    rows = AmbiguousMention.objects.filter(article=article).values_list("pk", "key", "name", "excerpt", *columns)
    for pk, key, name, excerpt, *candidates in rows:
        entry = stored.setdefault(key, (pk, name, excerpt, set()))
        entry[3].update((kind, c) for kind, c in zip(ENTITY_MODELS, candidates, strict=True) if c is not None)
    outdated = {
        pk
        for key, (pk, name, excerpt, candidates) in stored.items()
        if key not in wanted
        or (name, excerpt, candidates) != (wanted[key].name, wanted[key].excerpt, wanted[key].candidates)
    }
    if outdated:
        AmbiguousMention.objects.filter(pk__in=outdated).delete()
    fresh = [a for key, a in wanted.items() if key not in stored or stored[key][0] in outdated]
    if not fresh:
        return
    created = AmbiguousMention.objects.bulk_create(
        [AmbiguousMention(article=article, key=a.key, name=a.name, excerpt=a.excerpt) for a in fresh]
    )
    for kind, field in CANDIDATE_FIELDS.items():
        through = getattr(AmbiguousMention, field).through
        entity_column = f"{ENTITY_MODELS[kind]._meta.model_name}_id"
        through.objects.bulk_create(
            [
                through(ambiguousmention_id=row.pk, **{entity_column: pk})
                for row, ambiguity in zip(created, fresh, strict=True)
                for k, pk in sorted(ambiguity.candidates)
                if k == kind
            ]
        )


# --- An editor's corrections ---------------------------------------------------------


def mention_kind(entity: Entity) -> Kind:
    """'organization', 'person' or 'technology'."""
    for kind, model in ENTITY_MODELS.items():
        if isinstance(entity, model):
            return kind
    raise TypeError(f"Not an organization, person or technology: {entity!r}")


@transaction.atomic
def article_reject_mention(*, article: Article, entity: Entity) -> None:
    """An editor says the article does not mention ``entity``: remove it and keep it out."""
    kind = mention_kind(entity)
    MENTION_MODELS[kind].objects.filter(article=article, **{kind: entity}).delete()
    getattr(article, REJECTED_FIELDS[kind]).add(entity)


@transaction.atomic
def article_remove_mention(*, article: Article, entity: Entity) -> None:
    """An editor removes a mention: a detected one is rejected, so detection does not bring it back.

    A mention added by hand is only removed: detection may find it again.
    """
    kind = mention_kind(entity)
    mention = MENTION_MODELS[kind].objects.filter(article=article, **{kind: entity}).first()
    if mention is None:
        return
    if mention.detected:
        article_reject_mention(article=article, entity=entity)
    else:
        mention.delete()


@transaction.atomic
def article_add_mention(*, article: Article, entity: Entity) -> None:
    """An editor says the article mentions ``entity``: it stays whatever detection finds.

    Lifts an earlier rejection, and a detected mention becomes one added by hand.
    """
    kind = mention_kind(entity)
    lookup: dict[str, Any] = {"article": article, kind: entity}
    MENTION_MODELS[kind].objects.update_or_create(defaults={"detected": False}, **lookup)
    getattr(article, REJECTED_FIELDS[kind]).remove(entity)


@transaction.atomic
def article_set_mentions(*, article: Article, kind: Kind, entities: Iterable[Entity]) -> None:
    """The article's mentions of ``kind`` become ``entities``, as an editor's corrections.

    The entities left out are removed (``article_remove_mention``: a detected one is
    rejected), the new ones added by hand; the others stay as they are.
    """
    wanted = {entity.pk: entity for entity in entities}
    current = set(MENTION_MODELS[kind].objects.filter(article=article).values_list(f"{kind}_id", flat=True))
    for entity in ENTITY_MODELS[kind].objects.filter(pk__in=current - wanted.keys()):
        article_remove_mention(article=article, entity=entity)
    for pk in sorted(wanted.keys() - current):
        article_add_mention(article=article, entity=wanted[pk])


@transaction.atomic
def article_resolve_ambiguity(*, ambiguity: AmbiguousMention, entity: Entity | None) -> None:
    """An editor says which candidate a shared name means (added by hand), or none of them (all rejected)."""
    article = ambiguity.article
    if entity is None:
        for candidate in ambiguity.candidates:
            article_reject_mention(article=article, entity=candidate)
    else:
        if entity not in ambiguity.candidates:
            raise ValueError(f"{entity} is not one of the entities “{ambiguity.name}” may mean.")
        article_add_mention(article=article, entity=entity)
    ambiguity.delete()


# --- Detecting again when names change -------------------------------------------------

_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")


def articles_naming(names: Iterable[str]) -> list[int]:
    """The ids of the articles whose title, standfirst or body contain one of ``names``, as detection matches them.

    The database narrows them down by the longest word of each name (which every variant
    of the name contains); the matcher decides.
    """
    names = [name for name in names if name_key(name) is not None]
    matcher = MentionMatcher(("organization", 0, name) for name in names)
    condition = Q()
    for name in names:
        token = max(_TOKEN_RE.findall(name), key=len, default="")
        if token:
            condition |= Q(title__icontains=token) | Q(standfirst__icontains=token) | Q(body__icontains=token)
    if not condition:
        return []
    rows = Article.objects.filter(condition).values_list("pk", "title", "standfirst", "body").order_by("pk")
    return [
        pk
        for pk, title, standfirst, body in rows.iterator()
        if matcher.matches("\n\n".join(part for part in (title, standfirst, body) if part))
    ]


def entity_redetect_mentions(*, kind: Kind, pk: int, names: Iterable[str]) -> int:
    """Detect mentions again in the articles a change of an entity's names may concern; return how many.

    Those that contain one of ``names`` (the names added or removed: a new name may now
    be shared, a name gone may leave another entity alone with it), and those where the
    entity is a detected mention or a candidate of an ambiguous one.
    """
    ids = set(articles_naming(names))
    ids |= set(MENTION_MODELS[kind].objects.filter(detected=True, **{kind: pk}).values_list("article", flat=True))
    ids |= set(AmbiguousMention.objects.filter(**{CANDIDATE_FIELDS[kind]: pk}).values_list("article", flat=True))
    for article in Article.objects.filter(pk__in=ids).order_by("pk").iterator():
        article_detect_mentions(article=article)
    if ids:
        bump_generation()  # mention rows are written in bulk, without the signals the page cache listens to
    return len(ids)


# --- Linking mentions in the published body ----------------------------------------

_SKIP_TAGS = {"a", "code", "pre"}
_VOID_TAGS = {"br", "hr", "img"}


class _MentionLinker(HTMLParser):
    """Re-emits sanitized HTML, linking the first mention of each entity in text nodes.

    A name shared by several of the article's entities, or left ambiguous by detection
    (``skip_keys``), is never linked.
    """

    def __init__(self, matcher: MentionMatcher, urls: dict[EntityKey, str], skip_keys: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.matcher, self.urls, self.skip_keys = matcher, urls, skip_keys
        self.out: list[str] = []
        self.skip_depth = 0
        self.linked: set[EntityKey] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            self.out.append(html.escape(data, quote=False))
            return
        position = 0
        for match in self.matcher.matches(data):
            if match.key in self.skip_keys or len(match.entities) != 1:
                continue
            (entity,) = match.entities
            if entity not in self.urls or entity in self.linked:
                continue
            self.linked.add(entity)
            self.out.append(html.escape(data[position : match.start], quote=False))
            self.out.append(
                f'<a class="mention" href="{html.escape(self.urls[entity])}">'
                f"{html.escape(data[match.start : match.end], quote=False)}</a>"
            )
            position = match.end
        self.out.append(html.escape(data[position:], quote=False))


def article_link_mentions(article: Article) -> SafeString:
    """The article's body HTML with the first mention of each mentioned entity linked to its page.

    Works on the sanitized ``body_html``: only text nodes are touched, never inside a
    link, code or pre, and the result goes through the allow-list sanitizer again. An
    ambiguous name is not linked.
    """
    if not article.body_html:
        return mark_safe("")
    urls: dict[EntityKey, str] = {}
    names: list[tuple[str, int, str]] = []
    for kind, relation in (("organization", "organizations"), ("person", "people"), ("technology", "technologies")):
        for entity in getattr(article, relation).all():
            urls[(kind, entity.pk)] = entity.get_absolute_url()
            names.extend((kind, entity.pk, name) for name in entity.names)
    if not urls:
        return mark_safe(article.body_html)
    ambiguous = {row.key for row in article.ambiguous_mentions.all()}
    linker = _MentionLinker(MentionMatcher(names), urls, ambiguous)
    linker.feed(article.body_html)
    linker.close()
    return mark_safe(_resanitize("".join(linker.out)))


def _resanitize(fragment: str) -> str:
    """The allow-list again, keeping the rel of external links and the class of mention links."""
    attributes = {**ALLOWED_ATTRIBUTES, "a": {"href", "title", "rel", "class"}}
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=attributes, url_schemes=URL_SCHEMES, link_rel=None)
