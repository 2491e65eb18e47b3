"""Writes with side effects on articles: the publishing rule, the review workflow,
mention detection and linking.

``article_check_publishing`` is the one rule of who may publish; the admin (form and
actions) and the API both call it. ``article_detect_mentions`` runs after every save
of an article, from the admin and from the API.
"""

import html
import re
import threading
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser

import ahocorasick
import nh3
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.safestring import mark_safe

from lenrnews.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES
from organizations.models import Organization, Person, Technology

from .models import Article, OrganizationMention, PersonMention, TechnologyMention

PUBLISH_PERMISSION = "articles.publish_article"


# --- Who may publish ---------------------------------------------------------------


def can_publish(user):
    """Editors (``articles.publish_article``) publish, schedule and unpublish; writers don't."""
    return bool(user and user.is_authenticated and user.has_perm(PUBLISH_PERMISSION))


def _value(state, name, default=None):
    if state is None:
        return default
    if isinstance(state, dict):
        return state.get(name, default)
    return getattr(state, name, default)


def article_publishing_errors(*, user, before, after):
    """What ``user`` may not do in changing an article from ``before`` to ``after``.

    ``before`` is the article as stored (None when creating it); ``after`` is the article
    as it would be saved, or a dict of the new values (e.g. a serializer's validated
    data, where a key left out keeps its ``before`` value). Returns {field: message},
    empty when the change is allowed.

    A writer may write drafts, submit them for review and fix the text of a published
    article; publishing, scheduling, unpublishing and the publication time are an
    editor's (``articles.publish_article``).
    """
    if can_publish(user):
        return {}
    old_status = _value(before, "status", Article.Status.DRAFT)
    old_publish_at = _value(before, "publish_at")
    new_status = _value(after, "status", old_status) or Article.Status.DRAFT
    new_publish_at = _value(after, "publish_at", old_publish_at)
    was_published = before is not None and old_status == Article.Status.PUBLISHED
    errors = {}
    if was_published and new_status != Article.Status.PUBLISHED:
        errors["status"] = "Only an editor can unpublish an article."
    elif not was_published and new_status == Article.Status.PUBLISHED:
        errors["status"] = "Only an editor can publish or schedule an article: submit it for review."
    if new_publish_at != old_publish_at:
        errors["publish_at"] = "Only an editor can set the publication time."
    return errors


def article_check_publishing(*, user, before, after):
    """Raise PermissionDenied when ``user`` may not make this change (see above)."""
    errors = article_publishing_errors(user=user, before=before, after=after)
    if errors:
        raise PermissionDenied(" ".join(dict.fromkeys(errors.values())))


# --- The review workflow -----------------------------------------------------------


class WorkflowError(Exception):
    """The article is not in a state that allows this step."""


def _save_with_rule(*, article, user, fields):
    before = Article.objects.get(pk=article.pk)
    article_check_publishing(user=user, before=before, after=article)
    article.save(update_fields=[*fields, "updated_at"])


def article_submit_for_review(*, article, user):
    if article.status != Article.Status.DRAFT:
        raise WorkflowError(f"“{article}” is not a draft.")
    article.status = Article.Status.REVIEW
    _save_with_rule(article=article, user=user, fields=["status"])


def article_send_back(*, article, user, note):
    """An editor returns an article in review to its writer, saying why."""
    if not can_publish(user):
        raise PermissionDenied("Only an editor can send an article back.")
    if not note.strip():
        raise WorkflowError("Say what the writer should change.")
    if article.status != Article.Status.REVIEW:
        raise WorkflowError(f"“{article}” is not waiting for review.")
    article.status = Article.Status.DRAFT
    article.review_note = note.strip()
    _save_with_rule(article=article, user=user, fields=["status", "review_note"])


def article_publish_now(*, article, user):
    if article.is_public:
        raise WorkflowError(f"“{article}” is already published.")
    article.status = Article.Status.PUBLISHED
    article.publish_at = timezone.now()
    _save_with_rule(article=article, user=user, fields=["status", "publish_at"])


def article_unpublish(*, article, user):
    if article.status != Article.Status.PUBLISHED:
        raise WorkflowError(f"“{article}” is not published.")
    article.status = Article.Status.DRAFT
    _save_with_rule(article=article, user=user, fields=["status"])


# --- Mention detection -------------------------------------------------------------

# A short all-caps name ("IH", "JET", "MFMP") is matched case-sensitively, so the
# acronym "IH" does not match "ih" in running text.
ACRONYM_RE = re.compile(r"[A-Z0-9&]{2,6}")
MIN_NAME_LENGTH = 2
ENTITY_MODELS = {"organization": Organization, "person": Person, "technology": Technology}
MENTION_MODELS = {"organization": OrganizationMention, "person": PersonMention, "technology": TechnologyMention}
REJECTED_FIELDS = {
    "organization": "rejected_organizations",
    "person": "rejected_people",
    "technology": "rejected_technologies",
}
VERSION_KEY = "articles:mention-matcher-version"


def is_acronym(name):
    return bool(ACRONYM_RE.fullmatch(name)) and any(c.isalpha() for c in name)


def _fold(text):
    """Lowercase ``text`` keeping every character at its index (so offsets match the original)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _is_word_char(char):
    return char.isalnum() or char == "_"


@dataclass(frozen=True)
class Match:
    start: int
    end: int  # exclusive
    entities: tuple  # ((kind, pk), ...)


class MentionMatcher:
    """Aho-Corasick automatons over entity names: one folded, one case-sensitive for acronyms.

    Each key maps to the entities having that name, so a text is scanned once whatever
    the number of entities.
    """

    def __init__(self, names):
        """``names`` yields (kind, pk, name)."""
        folded, exact = {}, {}
        for kind, pk, name in names:
            name = name.strip()
            if len(name) < MIN_NAME_LENGTH:
                continue
            if is_acronym(name):
                exact.setdefault(name, set()).add((kind, pk))
            else:
                folded.setdefault(_fold(name), set()).add((kind, pk))
        self.folded = self._automaton(folded)
        self.exact = self._automaton(exact)
        self.size = len(folded) + len(exact)

    @staticmethod
    def _automaton(patterns):
        if not patterns:
            return None
        automaton = ahocorasick.Automaton()
        for key, entities in patterns.items():
            automaton.add_word(key, (len(key), tuple(sorted(entities))))
        automaton.make_automaton()
        return automaton

    def matches(self, text):
        """Whole-word, non-overlapping matches, leftmost-longest first."""
        candidates = []
        for automaton, haystack in ((self.folded, _fold(text)), (self.exact, text)):
            if automaton is None:
                continue
            for end, (length, entities) in automaton.iter(haystack):
                start = end - length + 1
                if start > 0 and _is_word_char(text[start - 1]):
                    continue
                if end + 1 < len(text) and _is_word_char(text[end + 1]):
                    # "Rossi's" and "Rossi’s" end the word at the apostrophe.
                    continue
                candidates.append(Match(start, end + 1, entities))
        candidates.sort(key=lambda m: (m.start, m.start - m.end))
        chosen, covered_until = [], 0
        for match in candidates:
            if match.start >= covered_until:
                chosen.append(match)
                covered_until = match.end
        return chosen

    def entities_in(self, text):
        found = set()
        for match in self.matches(text):
            found.update(match.entities)
        return found


def _entity_names():
    for kind, model in ENTITY_MODELS.items():
        for pk, name, aliases in model.objects.values_list("pk", "name", "aliases").iterator():
            yield kind, pk, name
            for alias in (aliases or "").splitlines():
                yield kind, pk, alias


_matcher_lock = threading.Lock()
_matcher = {"version": None, "matcher": None}


def mention_matcher_version():
    """The version of the entity names: changes whenever an entity is saved or deleted.

    Two parts: a token in the cache that the save/delete signals replace (shared by every
    process when the cache is Redis), and a fingerprint of the tables (row count and
    latest change) that also catches other processes and bulk writes that send no
    signal, whatever the cache.
    """
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(VERSION_KEY)
    fingerprint = [
        tuple(model.objects.aggregate(rows=Count("pk"), latest=Max("updated_at")).values())
        for model in ENTITY_MODELS.values()
    ]
    return (token, tuple(fingerprint))


def mention_matcher_invalidate():
    """Entities changed: every process rebuilds its matcher before the next detection."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def get_mention_matcher():
    """The matcher over every entity name, built once per process and version."""
    version = mention_matcher_version()
    with _matcher_lock:
        if _matcher["version"] != version or _matcher["matcher"] is None:
            _matcher["matcher"] = MentionMatcher(_entity_names())
            _matcher["version"] = version
        return _matcher["matcher"]


def article_text(article):
    return "\n\n".join(part for part in (article.title, article.standfirst, article.body) if part)


def article_detect_mentions(*, article):
    """Link the entities named in the article's title, standfirst and body as its mentions.

    Adds detected mentions (``detected=True``) and drops detected ones no longer in the
    text; never re-adds a mention an editor rejected and never touches mentions an
    editor added by hand (``detected=False``). Returns {kind: set of pks detected}.
    """
    found = get_mention_matcher().entities_in(article_text(article))
    detected = {kind: {pk for k, pk in found if k == kind} for kind in ENTITY_MODELS}
    with transaction.atomic():
        for kind, mention_model in MENTION_MODELS.items():
            rejected = set(getattr(article, REJECTED_FIELDS[kind]).values_list("pk", flat=True))
            wanted = detected[kind] - rejected
            field = f"{kind}_id"
            existing = dict(mention_model.objects.filter(article=article).values_list(field, "detected"))
            stale = [pk for pk, was_detected in existing.items() if was_detected and pk not in wanted]
            if stale:
                mention_model.objects.filter(article=article, detected=True, **{f"{field}__in": stale}).delete()
            mention_model.objects.bulk_create(
                [
                    mention_model(article=article, detected=True, **{field: pk})
                    for pk in sorted(wanted - existing.keys())
                ]
            )
            detected[kind] = wanted
    return detected


@transaction.atomic
def article_reject_mention(*, article, entity):
    """An editor says the article does not mention ``entity``: remove it and keep it out."""
    kind = _kind_of(entity)
    MENTION_MODELS[kind].objects.filter(article=article, **{kind: entity}).delete()
    getattr(article, REJECTED_FIELDS[kind]).add(entity)


def _kind_of(entity):
    for kind, model in ENTITY_MODELS.items():
        if isinstance(entity, model):
            return kind
    raise TypeError(f"Not an organization, person or technology: {entity!r}")


# --- Linking mentions in the published body ----------------------------------------

_SKIP_TAGS = {"a", "code", "pre"}
_VOID_TAGS = {"br", "hr", "img"}


class _MentionLinker(HTMLParser):
    """Re-emits sanitized HTML, linking the first mention of each entity in text nodes."""

    def __init__(self, matcher, urls):
        super().__init__(convert_charrefs=True)
        self.matcher, self.urls = matcher, urls
        self.out, self.skip_depth, self.linked = [], 0, set()

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1

    def handle_data(self, data):
        if self.skip_depth:
            self.out.append(html.escape(data, quote=False))
            return
        position = 0
        for match in self.matcher.matches(data):
            entity = next((e for e in match.entities if e in self.urls and e not in self.linked), None)
            if entity is None:
                continue
            self.linked.add(entity)
            self.out.append(html.escape(data[position : match.start], quote=False))
            self.out.append(
                f'<a class="mention" href="{html.escape(self.urls[entity])}">'
                f"{html.escape(data[match.start : match.end], quote=False)}</a>"
            )
            position = match.end
        self.out.append(html.escape(data[position:], quote=False))


def article_link_mentions(article):
    """The article's body HTML with the first mention of each mentioned entity linked to its page.

    Works on the sanitized ``body_html``: only text nodes are touched, never inside a
    link, code or pre, and the result goes through the allow-list sanitizer again.
    """
    if not article.body_html:
        return mark_safe("")
    urls, names = {}, []
    for kind, relation in (("organization", "organizations"), ("person", "people"), ("technology", "technologies")):
        for entity in getattr(article, relation).all():
            urls[(kind, entity.pk)] = entity.get_absolute_url()
            names.extend((kind, entity.pk, name) for name in entity.names)
    if not urls:
        return mark_safe(article.body_html)
    linker = _MentionLinker(MentionMatcher(names), urls)
    linker.feed(article.body_html)
    linker.close()
    return mark_safe(_resanitize("".join(linker.out)))


def _resanitize(fragment):
    """The allow-list again, keeping the rel of external links and the class of mention links."""
    attributes = {**ALLOWED_ATTRIBUTES, "a": {"href", "title", "rel", "class"}}
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=attributes, url_schemes=URL_SCHEMES, link_rel=None)
