"""The editors' dashboard: the admin's home page, and the admin site that serves it.

Each panel is one function of the signed-in user, so what a panel holds is decided in
one place: the review queue with how long each article has waited, the scheduled
articles, the ones sent back, the latest published, everyone's latest changes to any
record (django-simple-history), the mentions to resolve and the facts without a source
(claims citing nothing, and profiles with a filled-in fact no citation supports).
An editor's desk holds every article; a writer's their own (``desk_articles``). A panel
about records the user may not see or change is not shown. Every panel runs a fixed
number of queries, whatever the number of rows.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.models import (
    AnyUser,
    Article,
    Notice,
    OrganizationMention,
    PersonMention,
    TechnologyMention,
    can_read_unpublished,
)
from articles.services import can_publish
from organizations.models import CITABLE_FIELDS, Claim, uncited_facts, with_uncited_facts

PANEL_ROWS = 10  # rows shown per panel; the panel says how many there are in all
CHANGES_ROWS = 15

# The mention models, the entity each names, and the name of the prefetched list.
MENTION_KINDS = [
    (OrganizationMention, "organization"),
    (PersonMention, "person"),
    (TechnologyMention, "technology"),
]


@dataclass
class Listing:
    """Some rows of a panel, and how many there are in all."""

    rows: list
    total: int


def _listing(queryset, rows=PANEL_ROWS) -> Listing:
    return Listing(rows=list(queryset[:rows]), total=queryset.count())


def _may(user: AnyUser, model, action: str) -> bool:
    opts = model._meta
    if action == "view" and user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return True
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


# --- Articles -----------------------------------------------------------------------


def desk_articles(user: AnyUser):
    """The articles on ``user``'s desk: every article for an editor, a writer's own for a writer.

    "Own" is the article's ``author`` account (``articles.notifications.article_author_users``
    tells the same people about their articles).
    """
    articles = Article.objects.visible_to(user).with_bylines()
    return articles if can_publish(user) else articles.filter(author=user)


def _entered_current_status():
    """When the article entered its current status: the first revision of its latest run in it.

    An article without revisions (made in bulk) counts from its last change.
    """
    history = Article.history.model
    later_other_status = history.objects.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date")).exclude(
        status=OuterRef("status")
    )
    run = (
        history.objects.filter(id=OuterRef("pk"), status=OuterRef("status"))
        .filter(~Exists(later_other_status))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return Coalesce(Subquery(run), "updated_at")


def waiting_for_review(user: AnyUser) -> Listing:
    """Articles in review, the longest waiting first; ``status_since`` is when each was submitted."""
    articles = desk_articles(user).filter(status=Article.Status.REVIEW).defer("body", "body_html")
    return _listing(articles.annotate(status_since=_entered_current_status()).order_by("status_since", "pk"))


def scheduled(user: AnyUser) -> Listing:
    """Published articles whose time has not come, the soonest first."""
    articles = desk_articles(user).filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
    return _listing(articles.defer("body", "body_html").order_by("publish_at", "pk"))


def sent_back(user: AnyUser) -> Listing:
    """Drafts an editor sent back with a note, the latest first; ``status_since`` is when."""
    articles = desk_articles(user).filter(status=Article.Status.DRAFT).exclude(review_note="")
    articles = articles.defer("body", "body_html").annotate(status_since=_entered_current_status())
    return _listing(articles.order_by("-status_since", "-pk"))


def recently_published(user: AnyUser) -> Listing:
    """What readers see now, the latest first: everyone's, as on the site."""
    articles = Article.objects.published().with_bylines().defer("body", "body_html")
    return _listing(articles.order_by("-publish_at", "-pk"))


# --- Mentions -----------------------------------------------------------------------


def mentions_to_resolve(model):
    """The mentions of ``model`` an editor has to look at.

    Today: the ones detection found that nobody added or confirmed by hand (``detected``).
    The one place to narrow this to ambiguous mentions when detection can say so.
    """
    return model.objects.filter(detected=True)


def articles_with_mentions_to_resolve(user: AnyUser) -> Listing | None:
    """Articles not yet public on ``user``'s desk with mentions to resolve, the latest changed first.

    Each article carries ``mentions_to_resolve``: the mentioned entities. None for a user
    who may not change mentions.
    """
    if not all(_may(user, model, "change") for model, _ in MENTION_KINDS):
        return None
    waiting = Q()
    prefetches = []
    for model, entity in MENTION_KINDS:
        mentions = mentions_to_resolve(model)
        waiting |= Q(Exists(mentions.filter(article=OuterRef("pk"))))
        prefetches.append(
            Prefetch(
                f"{model._meta.model_name}_set",
                queryset=mentions.select_related(entity).order_by("pk"),
                to_attr=f"{entity}_mentions_to_resolve",
            )
        )
    articles = desk_articles(user).exclude(pk__in=Article.objects.published()).filter(waiting)
    listing = _listing(articles.defer("body", "body_html").prefetch_related(*prefetches).order_by("-updated_at", "-pk"))
    for article in listing.rows:
        article.mentions_to_resolve = [
            getattr(mention, entity)
            for _, entity in MENTION_KINDS
            for mention in getattr(article, f"{entity}_mentions_to_resolve")
        ]
    return listing


# --- Facts without a source ---------------------------------------------------------


@dataclass
class UnsourcedClaims:
    """The records of one kind whose facts have no source; a profile's rows carry ``uncited_facts``."""

    model: type
    listing: Listing

    @property
    def label(self):
        return self.model._meta.verbose_name_plural


def claim_models() -> list[type[models.Model]]:
    """Every kind of fact the database asserts: the models built on ``organizations.models.Claim``."""
    return [model for model in apps.get_models() if issubclass(model, Claim)]


def unsourced(model):
    """The rows of a claim model that cite no source and none of our articles.

    The one definition of a claim without a source; a profile's facts without one are
    ``organizations.models.with_uncited_facts``.
    """
    return model.objects.filter(sources=None, reported_in=None)


def profile_models() -> list[type[models.Model]]:
    """The records whose profile facts (an organization's founding year...) cite sources: ``CITABLE_FIELDS``."""
    return [apps.get_model("organizations", kind) for kind in CITABLE_FIELDS]


def claims_without_sources(user: AnyUser, rows=5) -> list[UnsourcedClaims] | None:
    """For each kind of fact ``user`` may change that has some without a source: those, the latest first.

    Claims (stakes, roles, deals, events) that cite nothing, then profiles with a filled-in
    fact that no citation supports (``organizations.models.with_uncited_facts``), each naming
    those facts. None when ``user`` may change no kind of fact.
    """
    claim_kinds = [model for model in claim_models() if _may(user, model, "change")]
    profile_kinds = [model for model in profile_models() if _may(user, model, "change")]
    if not claim_kinds and not profile_kinds:
        return None
    groups = []
    for model in claim_kinds:
        related = [field.name for field in model._meta.concrete_fields if field.many_to_one]
        claims = unsourced(model).order_by("-created_at", "-pk")
        if related:  # select_related() without a field name is deprecated (an event has no foreign key)
            claims = claims.select_related(*related)
        listing = _listing(claims, rows=rows)
        for claim in listing.rows:
            claim.admin_url = _admin_url(model, "change", claim.pk)
        if listing.total:
            groups.append(UnsourcedClaims(model=model, listing=listing))
    for model in profile_kinds:
        records = with_uncited_facts(model._default_manager.all()).order_by("-updated_at", "-pk")
        listing = _listing(records, rows=rows)
        for record in listing.rows:
            record.admin_url = _admin_url(model, "change", record.pk)
            record.uncited_facts = uncited_facts(record)
        if listing.total:
            groups.append(UnsourcedClaims(model=model, listing=listing))
    return groups


# --- Recent changes -----------------------------------------------------------------


@dataclass
class Change:
    """One revision of a record: who changed what, when."""

    when: datetime.datetime
    user: object
    action: str
    model: type
    label: str
    history_url: str | None

    @property
    def kind(self):
        return self.model._meta.verbose_name


def _admin_url(model, view: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def history_models() -> list[tuple[type[models.Model], Any]]:
    """(model, its historical model) for every model that keeps revisions."""
    pairs = []
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager is not None:
            pairs.append((model, getattr(model, manager).model))
    return pairs


def _revised_object(record):
    """The record as it was at this revision, with the related rows its name needs already loaded."""
    obj = record.history_object
    kept = {field.name for field in record._meta.concrete_fields}
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.name in kept:
            setattr(obj, field.name, getattr(record, field.name))  # select_related: no query
    return obj


def recent_changes(user: AnyUser, rows=CHANGES_ROWS) -> list[Change]:
    """The latest revisions of every record ``user`` may see, by anyone, the newest first.

    One query per kind of record (its latest ``rows`` revisions), merged here.
    """
    changes = []
    for model, history in history_models():
        if not _may(user, model, "view"):
            continue
        related = [field.name for field in history._meta.concrete_fields if field.many_to_one]
        pk_name = model._meta.pk.attname
        for record in history._default_manager.select_related(*related).order_by("-history_date", "-history_id")[:rows]:
            deleted = record.history_type == "-"
            changes.append(
                Change(
                    when=record.history_date,
                    user=record.history_user,
                    action=record.get_history_type_display(),
                    model=model,
                    label=str(_revised_object(record)),
                    history_url=None if deleted else _admin_url(model, "history", getattr(record, pk_name)),
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:rows]


# --- The page -----------------------------------------------------------------------


def dashboard_context(user: AnyUser) -> dict:
    """Everything the dashboard shows ``user``; a panel they may not see is left out (None)."""
    notices = Notice.objects.filter(recipient_id=user.pk).unread().select_related("article", "actor")
    reads_articles = can_read_unpublished(user)
    return {
        "notices": _listing(notices, rows=20),
        "is_editor": can_publish(user),
        "waiting_for_review": waiting_for_review(user) if reads_articles else None,
        "scheduled": scheduled(user) if reads_articles else None,
        "sent_back": sent_back(user) if reads_articles else None,
        "recently_published": recently_published(user) if reads_articles else None,
        "mentions_to_resolve": articles_with_mentions_to_resolve(user) if reads_articles else None,
        "claims_without_sources": claims_without_sources(user),
        "recent_changes": recent_changes(user),
        "now": timezone.now(),
    }


class NewsroomAdminSite(admin.AdminSite):
    """The admin, whose home page is the dashboard, with the notices' dismiss buttons."""

    def index(self, request, extra_context=None):
        return super().index(request, {**dashboard_context(request.user), **(extra_context or {})})

    def get_urls(self):
        return [
            path("notices/<int:pk>/dismiss/", self.admin_view(self.dismiss_notice_view), name="notice_dismiss"),
            path("notices/dismiss/", self.admin_view(self.dismiss_all_notices_view), name="notice_dismiss_all"),
            *super().get_urls(),
        ]

    @staticmethod
    @require_POST
    def dismiss_notice_view(request, pk):
        """Mark one of the user's notices read; another's is a 404."""
        notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
        Notice.objects.filter(pk=notice.pk).mark_read()
        return redirect("admin:index")

    @staticmethod
    @require_POST
    def dismiss_all_notices_view(request):
        Notice.objects.filter(recipient=request.user).mark_read()
        return redirect("admin:index")
