"""The newsroom's admin: articles with their review workflow, topics, sources, corrections.

Writers write and submit for review; editors publish, schedule, unpublish and send
articles back with a note. The rules themselves are in ``articles.services``
(publishing, sending back) and ``articles.mentions`` (an editor's corrections to the
detected mentions): the form, the actions and the API all go through them.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from lenrnews.admin import (
    DuplicateWarningAdmin,
    MergeAdmin,
    MoveToTrashAdmin,
    RefuseDeleteWhileLinkedAdmin,
    RevertRestoresLinksAdmin,
    TrashAdmin,
)
from lenrnews.history import HistoryAdmin
from lenrnews.markdown import reading_stats, reading_stats_display, render_markdown
from lenrnews.media import check_image, delete_stored, store_image

from .mentions import (
    CANDIDATE_FIELDS,
    MENTION_MODELS,
    article_add_mention,
    article_detect_mentions,
    article_remove_mention,
    article_resolve_ambiguity,
    mention_kind,
)
from .models import (
    AmbiguousMention,
    Article,
    ArticleAuthor,
    ArticleInTrash,
    Author,
    Correction,
    Image,
    Notice,
    OrganizationMention,
    PersonMention,
    Redirect,
    Source,
    TechnologyMention,
    Topic,
)
from .preview import ArticlePreviewView
from .services import (
    SEND_BACK_NOTE_REQUIRED,
    WorkflowError,
    article_announce_step,
    article_publish_now,
    article_publishing_errors,
    article_send_back,
    article_send_back_errors,
    article_submit_for_review,
    article_unpublish,
    can_publish,
)

WRITER_STATUSES = [Article.Status.DRAFT, Article.Status.REVIEW]

# The longest text the live preview renders (a long feature is about 60,000 characters).
MARKDOWN_PREVIEW_MAX_LENGTH = 200_000
# Set on the response to a successful save: the editor's script then forgets the text it kept.
AUTOSAVE_SAVED_COOKIE = "lenrnews_article_saved"


class MarkdownEditorWidget(forms.Textarea):
    """The body's textarea with a live preview beside it, a cheat sheet, a word count and
    reading time, and the unsaved text kept in the browser (``static/js/markdown-editor.js``).

    The preview comes from ``ArticleAdmin.markdown_preview_view``: the renderer and
    sanitizer of the public page. ``autosave_key`` is the article's id, or "new";
    ``unsaved`` says the text shown is a submission that was not saved (a form error).
    """

    template_name = "articles/widgets/markdown_editor.html"
    autosave_key = "new"
    unsaved = False

    class Media:
        css = {"all": ["css/markdown-editor.css"]}
        js = ["js/markdown-editor.js"]

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 24, "class": "vLargeTextField md-editor__input", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        html = render_markdown(value or "")
        context["editor"] = {
            "preview_url": reverse("admin:articles_article_markdown_preview"),
            "autosave_key": self.autosave_key,
            "unsaved": self.unsaved,
            "preview_html": mark_safe(html),  # sanitized by render_markdown
            "stats": reading_stats_display(*reading_stats(html)),
        }
        return context


class PublicationStateFilter(admin.SimpleListFilter):
    """Where an article stands: draft, waiting for review, scheduled or live."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "Waiting for review"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "scheduled":
                return queryset.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
            case "live":
                return queryset.published()
        return queryset


class AmbiguousMentionFilter(admin.SimpleListFilter):
    """Articles with a shared name detection could not decide: an editor's to resolve."""

    title = "mentions"
    parameter_name = "mentions"

    def lookups(self, request, model_admin):
        return [("ambiguous", "Ambiguous, to resolve")]

    def queryset(self, request, queryset):
        if self.value() == "ambiguous":
            return queryset.filter(Exists(AmbiguousMention.objects.filter(article=OuterRef("pk"))))
        return queryset


class ArticleAdminForm(forms.ModelForm):
    """Checks the publishing rule for the user filling it in (set by ``ArticleAdmin.get_form``)."""

    user = None

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "standfirst",
            "body",
            "author",
            "byline",
            "status",
            "publish_at",
            "review_note",
            "topics",
            "sources",
            "rejected_organizations",
            "rejected_people",
            "rejected_technologies",
        ]
        widgets = {"body": MarkdownEditorWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            body = self.fields["body"].widget
            body.autosave_key = str(self.instance.pk) if self.instance.pk else "new"
            body.unsaved = self.is_bound  # shown again after a form error: not saved yet
        if "status" in self.fields and not can_publish(self.user):
            self.fields["status"].choices = [(s.value, s.label) for s in WRITER_STATUSES]
            self.fields["status"].help_text = "Set “In review” when it is ready: an editor publishes it."
        if "publish_at" in self.fields:
            self.fields["publish_at"].help_text = (
                "When readers may see it. A published article with a time in the future is scheduled and "
                "appears on its own at that time; empty means now."
            )
        if "review_note" in self.fields:
            self.fields[
                "review_note"
            ].help_text = "Sending an article back to draft: say what the writer should change. They see it here."

    def clean(self):
        cleaned = super().clean()
        before = Article.objects.get(pk=self.instance.pk) if self.instance.pk else None
        # Fields a writer cannot see keep the instance's value, which a restored revision may have changed.
        after = {name: cleaned.get(name, getattr(self.instance, name)) for name in ("status", "publish_at")}
        # The note counts as typed here: a revision a writer restores may bring back its own.
        after["review_note"] = cleaned.get("review_note", before.review_note if before else "")
        errors = {
            **article_publishing_errors(user=self.user, before=before, after=after),
            **article_send_back_errors(user=self.user, before=before, after=after),
        }
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned


class ArticleRevertForm(ArticleAdminForm):
    """Restoring a revision keeps the article's current publication status, unless the editor ticks the box."""

    restore_status = forms.BooleanField(required=False, label="Also restore the publication status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        revision = getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME)
        self.revision_status = {"status": revision.status, "publish_at": revision.publish_at}
        shown = Article(**self.revision_status)
        when = f" (publish at {timezone.localtime(shown.publish_at):%d %b %Y %H:%M})" if shown.publish_at else ""
        self.fields["restore_status"].help_text = (
            f"This revision was “{shown.get_status_display()}”{when}. Left unticked, the article keeps its status "
            "and publication time as they are now."
        )

    def clean(self):
        if self.cleaned_data.get("restore_status"):
            for name, value in self.revision_status.items():
                setattr(self.instance, name, value)
                if name in self.fields:
                    self.cleaned_data[name] = value
        return super().clean()


class SendBackForm(forms.Form):
    """Asks for the note before the action runs; ``article_send_back`` keeps the rule."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the writer should change. They see it on the article's page in the admin.",
        error_messages={"required": SEND_BACK_NOTE_REQUIRED},
    )


class MentionInline(admin.TabularInline):
    """Mentions found by detection are marked; deleting one rejects it for good."""

    extra = 0
    readonly_fields = ["detected"]


class OrganizationMentionInline(MentionInline):
    model = OrganizationMention
    fields = ["organization", "detected"]
    autocomplete_fields = ["organization"]
    verbose_name_plural = "mentioned organizations (deleting a detected one rejects it)"


class PersonMentionInline(MentionInline):
    model = PersonMention
    fields = ["person", "detected"]
    autocomplete_fields = ["person"]
    verbose_name_plural = "mentioned people (deleting a detected one rejects it)"


class TechnologyMentionInline(MentionInline):
    model = TechnologyMention
    fields = ["technology", "detected"]
    autocomplete_fields = ["technology"]
    verbose_name_plural = "mentioned technologies (deleting a detected one rejects it)"


NONE_OF_THESE = "none"


class AmbiguousMentionForm(forms.ModelForm):
    """The editor says which of the candidates a shared name means, or none of them."""

    resolution = forms.ChoiceField(
        label="Which one?",
        required=False,
        help_text="The one picked becomes a mention; “none of these” rejects them all for this article.",
    )

    class Meta:
        model = AmbiguousMention
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = (
            {f"{mention_kind(entity)}:{entity.pk}": entity for entity in self.instance.candidates}
            if self.instance.pk
            else {}
        )
        self.fields["resolution"].choices = [
            ("", "Undecided"),
            *((value, f"{entity} ({mention_kind(entity)})") for value, entity in self.candidates.items()),
            (NONE_OF_THESE, "None of these"),
        ]

    def clean_resolution(self):
        value = self.cleaned_data["resolution"]
        return self.candidates.get(value, value)


class AmbiguousMentionInline(admin.TabularInline):
    """Shared names detection could not decide; not linked on the public page until resolved.

    Anyone who may change the article resolves them (writers tag articles too); rows come
    and go with detection only.
    """

    model = AmbiguousMention
    form = AmbiguousMentionForm
    extra = 0
    can_delete = False
    fields = ["name", "excerpt", "resolution"]
    readonly_fields = ["name", "excerpt"]
    verbose_name = "ambiguous mention"
    verbose_name_plural = "ambiguous mentions: a name several entities share (pick the one meant)"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*CANDIDATE_FIELDS.values())

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")


class CorrectionInline(admin.StackedInline):
    """Public corrections appended to a published article, shown at its end."""

    model = Correction
    extra = 0
    fields = ["published_on", "text"]


MENTION_KINDS = {model: kind for kind, model in MENTION_MODELS.items()}


def is_revision(obj):
    """``obj`` is a revision's values shown in the history's revert form."""
    return getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None


class ImageAdminForm(forms.ModelForm):
    """An upload checked by its content (lenrnews/media.py) and stored with its renditions."""

    upload = forms.FileField(
        required=False,
        help_text="JPEG, PNG or WebP, checked by its content; metadata (EXIF, GPS) is removed.",
    )

    class Meta:
        model = Image
        fields = ["upload", "alt", "caption", "credit"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if self.instance.pk is None:
                raise forms.ValidationError("Choose an image to upload.")
            return None
        check_image(upload)
        return upload

    def save(self, commit=True):
        upload = self.cleaned_data.get("upload")
        if upload is not None:
            stored = store_image(upload)
            old = [self.instance.original, *(r["name"] for r in self.instance.renditions)] if self.instance.pk else []
            self.instance.original = stored["original"]
            self.instance.format = stored["format"]
            self.instance.width, self.instance.height = stored["width"], stored["height"]
            self.instance.renditions = stored["renditions"]
            self._replaced = old
        return super().save(commit)


@admin.register(Image)
class ImageAdmin(HistoryAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "alt", "credit", "size", "created_at"]
    search_fields = ["alt", "caption", "credit"]
    readonly_fields = ["preview", "markdown_snippet", "size"]

    def get_fields(self, request, obj=None):
        return ["upload", "alt", "caption", "credit", *(["preview", "markdown_snippet", "size"] if obj else [])]

    @admin.display(description="")
    def thumbnail(self, image):
        return (
            format_html('<img src="{}" alt="" width="80" loading="lazy">', image.url(320)) if image.renditions else ""
        )

    @admin.display(description="Preview")
    def preview(self, image):
        return format_html('<img src="{}" alt="{}" width="480">', image.url(640), image.alt)

    @admin.display(description="Insert in an article")
    def markdown_snippet(self, image):
        return format_html(
            '<code>{}</code><p class="help">Paste this line into an article\'s body to show the image there.</p>',
            image.markdown,
        )

    @admin.display(description="Size")
    def size(self, image):
        return f"{image.width} × {image.height} px, {image.format}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        delete_stored(getattr(form, "_replaced", []))


class BylineInline(admin.TabularInline):
    """The article's bylines, in order: author profiles (not logins)."""

    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = "byline"
    verbose_name_plural = "bylines (author profiles; empty: the writer's own profile)"


@admin.register(Author)
class AuthorAdmin(HistoryAdmin):
    list_display = ["display_name", "slug", "user"]
    search_fields = ["display_name", "slug", "bio"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]
    fields = ["display_name", "slug", "bio", "links", "user"]


@admin.register(Article)
class ArticleAdmin(MoveToTrashAdmin, RevertRestoresLinksAdmin):  # type: ignore[misc]
    form = ArticleAdminForm
    list_display = ["title", "state", "publish_at", "author", "updated_at", "preview_link"]
    list_filter = [PublicationStateFilter, AmbiguousMentionFilter, "status", "topics", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "standfirst", "body"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "lead_image",
        "author",
        "topics",
        "sources",
        "rejected_organizations",
        "rejected_people",
        "rejected_technologies",
    ]
    actions = ["submit_for_review", "publish_now", "send_back", "unpublish"]
    history_list_display = ["status", "publish_at"]

    class Media:
        # On the list too: after "Save", the script forgets the text it kept for the article.
        js = ["js/markdown-editor.js"]

    def get_fieldsets(self, request, obj=None):
        publication = ["state", "status", "publish_at", "review_note", "preview_link"]
        if is_revision(obj):
            publication.insert(1, "restore_status")
        return [
            (None, {"fields": ["title", "slug", "standfirst", "lead_image", "body", "author", "byline"]}),
            ("Publication", {"fields": publication}),
            ("Filed under", {"fields": ["topics", "sources"]}),
            (
                "Rejected mentions",
                {
                    "classes": ["collapse"],
                    "description": "Entities detection must not link to this article. Remove one to allow it again.",
                    "fields": ["rejected_organizations", "rejected_people", "rejected_technologies"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state", "preview_link"]
        if not can_publish(request.user):
            readonly += ["publish_at", "review_note", "author"]
            if obj is not None and obj.status == Article.Status.PUBLISHED:
                readonly.append("status")  # a writer may fix the text, not unpublish
        return readonly

    # The claims the article reports (deals, events): inlines the apps above add.
    report_inlines: list = []

    def get_inlines(self, request, obj):
        inlines = [BylineInline, OrganizationMentionInline, PersonMentionInline, TechnologyMentionInline]
        if obj is not None:
            inlines.insert(0, AmbiguousMentionInline)
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            inlines.append(CorrectionInline)
        return inlines + self.report_inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        if is_revision(obj):
            # The revert form starts from the current status (the revision's stays in its history record),
            # and so do the rules on which fields a writer may change.
            current = Article.all_objects.filter(pk=obj.pk).values("status", "publish_at").first() or {}
            for name, value in current.items():
                setattr(obj, name, value)
            kwargs["form"] = ArticleRevertForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "review/",
                self.admin_site.admin_view(self.waiting_for_review_view),
                name="{}_{}_review".format(*info),
            ),
            # Not wrapped in admin_view: anyone without the right gets a 404, not a login page.
            path("<int:pk>/preview/", ArticlePreviewView.as_view(), name="{}_{}_preview".format(*info)),
            # Nor this one: a 403 in JSON, not a login page, for the editor's script.
            path(
                "markdown-preview/",
                never_cache(self.markdown_preview_view),
                name="{}_{}_markdown_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def markdown_preview_view(self, request):
        """The live preview: POST ``{"text": "..."}`` -> ``{"html", "words", "minutes", "stats"}``.

        The text rendered and sanitized as on the public page. Staff with the article
        change permission only (403 otherwise); the CSRF token is required as on any POST.
        """
        user = request.user
        if not (user.is_active and user.is_staff and self.has_change_permission(request)):
            return JsonResponse({"detail": "Only writers and editors may preview articles."}, status=403)
        if request.method != "POST":
            return JsonResponse({"detail": "Send the text by POST."}, status=405, headers={"Allow": "POST"})
        try:
            payload = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return JsonResponse({"detail": 'Send JSON: {"text": "..."}.'}, status=400)
        text = payload.get("text") if isinstance(payload, dict) else None
        if not isinstance(text, str):
            return JsonResponse({"text": ["Send the Markdown text as a string."]}, status=400)
        if len(text) > MARKDOWN_PREVIEW_MAX_LENGTH:
            return JsonResponse(
                {"text": [f"The preview takes at most {MARKDOWN_PREVIEW_MAX_LENGTH:,} characters."]}, status=400
            )
        html = render_markdown(text)
        words, minutes = reading_stats(html)
        return JsonResponse(
            {"html": html, "words": words, "minutes": minutes, "stats": reading_stats_display(words, minutes)}
        )

    def get_view_on_site_url(self, obj=None):
        """An article readers cannot see yet opens in its preview, not as a 404 on the site."""
        if obj is not None and obj.pk is not None and not obj.is_public:
            return reverse("admin:articles_article_preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    def _forget_autosaved(self, request, response, key):
        response.set_cookie(
            AUTOSAVE_SAVED_COOKIE, key, max_age=300, path="/", samesite="Lax", secure=request.is_secure()
        )
        return response

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._forget_autosaved(request, response, "new")

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        return self._forget_autosaved(request, response, str(obj.pk))

    def waiting_for_review_view(self, request):
        """The articles writers submitted, oldest first: an editor's queue."""
        url = reverse("admin:articles_article_changelist")
        return redirect(f"{url}?state=review&o=5")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "waiting_for_review": Article.objects.filter(status=Article.Status.REVIEW).count(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and request.method == "GET":
            if article.review_note and article.status == Article.Status.DRAFT:
                messages.warning(request, f"Sent back by the editor: {article.review_note}")
            names = list(article.ambiguous_mentions.values_list("name", flat=True))
            if names:
                messages.warning(
                    request,
                    f"Ambiguous, not linked until you pick the one meant: {', '.join(f'“{n}”' for n in names)}.",
                )
            # Opening the article is seeing what the notices about it said.
            Notice.objects.filter(recipient=request.user, article=article).mark_read()
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="State")
    def state(self, obj):
        if obj.pk is None:
            return "New draft"
        if obj.is_scheduled:
            return f"Scheduled for {timezone.localtime(obj.publish_at):%d %b %Y %H:%M}"
        if obj.is_public:
            return "Live"
        return "Waiting for review" if obj.status == Article.Status.REVIEW else "Draft"

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if obj.pk is None:
            return "Save the article first."
        url = reverse("admin:articles_article_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">Preview</a>', url)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        old_status = Article.objects.filter(pk=obj.pk).values_list("status", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        # The form changes the state directly: the step is told as when an action takes it.
        article_announce_step(article=obj, old_status=old_status, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is AmbiguousMention:
            formset.save(commit=False)  # the change message reads what changed; the rows are detection's
            for ambiguity_form in formset.forms:
                resolution = ambiguity_form.cleaned_data.get("resolution")
                if resolution:
                    entity = None if resolution == NONE_OF_THESE else resolution
                    article_resolve_ambiguity(ambiguity=ambiguity_form.instance, entity=entity)
            return
        kind = MENTION_KINDS.get(formset.model)
        if kind is None:
            formset.save()
            return
        # The editor's corrections to the mentions go through the mention services, as
        # nothing else may decide what a removed or an added mention means.
        article = form.instance
        formset.save(commit=False)
        for mention in formset.deleted_objects:
            article_remove_mention(article=article, entity=getattr(mention, kind))
        for mention, _changed in formset.changed_objects:
            # Another entity picked in the row: the old one is removed, the new one added.
            stored = type(mention).objects.select_related(kind).get(pk=mention.pk)
            article_remove_mention(article=article, entity=getattr(stored, kind))
            article_add_mention(article=article, entity=getattr(mention, kind))
        for mention in formset.new_objects:
            article_add_mention(article=article, entity=getattr(mention, kind))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change and not article.byline and not article.articleauthor_set.exists() and article.author_id:
            # A new article is by its writer, under the writer's author profile (never the login).
            ArticleAuthor.objects.create(article=article, author=Author.for_user(article.author))
        article_detect_mentions(article=article)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a revision: mentions follow the restored text, as after any save."""
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            article = Article.objects.filter(pk=object_id).first()
            if article is not None:
                article_detect_mentions(article=article)
        return response

    def _run_step(self, request, queryset, step, done):
        count = 0
        for article in queryset:
            try:
                step(article=article, user=request.user)
            except (WorkflowError, PermissionDenied) as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} article(s) {done}.", messages.SUCCESS)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run_step(request, queryset, article_submit_for_review, "submitted for review")

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._run_step(request, queryset, article_publish_now, "published")

    @admin.action(description="Send back to the writer (with a note)", permissions=["publish"])
    def send_back(self, request, queryset):
        """Asks for the note first; the articles go back to draft with it."""
        form = SendBackForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            note = form.cleaned_data["note"]
            self._run_step(
                request,
                queryset,
                lambda *, article, user: article_send_back(article=article, user=user, note=note),
                "sent back to the writer",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Send back to the writer",
            "opts": self.opts,
            "articles": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/send_back.html", context)

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run_step(request, queryset, article_unpublish, "unpublished")


@admin.register(ArticleInTrash)
class ArticleTrashAdmin(TrashAdmin):
    list_display = ["title", "status", "publish_at", "deleted_at"]
    search_fields = ["title", "slug"]


@admin.register(Topic)
class TopicAdmin(RefuseDeleteWhileLinkedAdmin, HistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Source)
class SourceAdmin(MergeAdmin, DuplicateWarningAdmin, RefuseDeleteWhileLinkedAdmin, HistoryAdmin):  # type: ignore[misc]
    list_display = ["title", "kind", "publisher", "attributed_to", "chain", "published_display"]
    list_filter = ["kind"]
    list_select_related = ["via__via__via"]
    search_fields = ["title", "publisher", "attributed_to", "quote", "url", "doi"]
    autocomplete_fields = ["via", "publisher_organization", "speaker_organization", "speaker_person"]
    readonly_fields = ["chain"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "kind",
                    ("url", "doi"),
                    ("publisher", "publisher_organization"),
                    ("published_on", "published_precision"),
                ]
            },
        ),
        (
            "Who said it and how it reached us",
            {
                "description": "A source is a self-claim for a claim when its speaker (or its publisher) is a "
                "party of that claim; the site works it out per claim.",
                "fields": [
                    "quote",
                    "attributed_to",
                    ("speaker_organization", "speaker_person"),
                    "via_text",
                    "via",
                    "chain",
                ],
            },
        ),
        ("How far to trust it", {"fields": ["reliability", "notes"]}),
    ]

    @admin.display(description="Chain")
    def chain(self, obj):
        return obj.chain_display if obj.pk else ""

    @admin.display(description="Published", ordering="published_on")
    def published_display(self, obj):
        return obj.published_display


class CorrectionAdminForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["article", "published_on", "text"]

    def clean_article(self):
        article = self.cleaned_data["article"]
        if article.status != Article.Status.PUBLISHED:
            raise forms.ValidationError("Corrections are for published articles; edit a draft instead.")
        return article


@admin.register(Correction)
class CorrectionAdmin(HistoryAdmin):
    form = CorrectionAdminForm
    list_display = ["article", "published_on", "text"]
    list_select_related = ["article"]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_on"


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """The old site's addresses (made by ``import_wordpress``), each answering 301 with our page."""

    list_display = ["old_path", "article", "topic"]
    list_select_related = ["article", "topic"]
    search_fields = ["old_path", "article__title", "topic__name"]
    autocomplete_fields = ["article", "topic"]
