"""The newsroom's admin: articles with their review workflow, topics, sources, corrections.

Writers write and submit for review; editors publish, schedule, unpublish and send
articles back with a note. The publishing rule itself is
``articles.services.article_check_publishing``: the form, the actions and the API all
go through it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Correction, OrganizationMention, PersonMention, Source, TechnologyMention, Topic
from .preview import ArticlePreviewView
from .services import (
    MENTION_MODELS,
    REJECTED_FIELDS,
    WorkflowError,
    article_detect_mentions,
    article_publish_now,
    article_publishing_errors,
    article_send_back,
    article_submit_for_review,
    article_unpublish,
    can_publish,
)

WRITER_STATUSES = [Article.Status.DRAFT, Article.Status.REVIEW]


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
        for field, message in article_publishing_errors(user=self.user, before=before, after=after).items():
            self.add_error(field if field in self.fields else None, message)
        sent_back = (
            before is not None
            and before.status == Article.Status.REVIEW
            and cleaned.get("status") == Article.Status.DRAFT
            and can_publish(self.user)
        )
        if sent_back and not (cleaned.get("review_note") or "").strip():
            self.add_error("review_note", "Sending an article back: tell the writer what to change.")
        return cleaned


class SendBackForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the writer should change. They see it on the article's page in the admin.",
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


class CorrectionInline(admin.StackedInline):
    """Public corrections appended to a published article, shown at its end."""

    model = Correction
    extra = 0
    fields = ["published_on", "text"]


MENTION_KINDS = {model: kind for kind, model in MENTION_MODELS.items()}


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["title", "state", "publish_at", "author", "updated_at", "preview_link"]
    list_filter = [PublicationStateFilter, "status", "topics", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "standfirst", "body"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "author",
        "topics",
        "sources",
        "rejected_organizations",
        "rejected_people",
        "rejected_technologies",
    ]
    actions = ["submit_for_review", "publish_now", "send_back", "unpublish"]
    history_list_display = ["status", "publish_at"]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["title", "slug", "standfirst", "body", "author", "byline"]}),
            (
                "Publication",
                {"fields": ["state", "status", "publish_at", "review_note", "preview_link"]},
            ),
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

    def get_inlines(self, request, obj):
        inlines = [OrganizationMentionInline, PersonMentionInline, TechnologyMentionInline]
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            inlines.append(CorrectionInline)
        return inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
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
            *super().get_urls(),
        ]

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
        if article is not None and article.review_note and article.status == Article.Status.DRAFT:
            if request.method == "GET":
                messages.warning(request, f"Sent back by the editor: {article.review_note}")
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
        if change and "status" in form.changed_data and obj.status == Article.Status.REVIEW:
            obj.review_note = ""  # resubmitted: the note was answered; history keeps it
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        formset.save()
        kind = MENTION_KINDS.get(formset.model)
        if kind is None:
            return
        article = form.instance
        rejected = getattr(article, REJECTED_FIELDS[kind])
        for mention in formset.deleted_objects:
            if mention.detected:
                rejected.add(getattr(mention, f"{kind}_id"))
        for mention in formset.new_objects:
            rejected.remove(getattr(mention, f"{kind}_id"))
        for mention, _changed in formset.changed_objects:
            if mention.detected:
                mention.detected = False
                mention.save(update_fields=["detected"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article_detect_mentions(article=form.instance)

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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "attributed_to", "self_claim", "confidence", "chain", "published_display"]
    list_filter = ["confidence", "self_claim"]
    list_select_related = ["via__via__via"]
    search_fields = ["title", "publisher", "attributed_to", "quote", "url"]
    autocomplete_fields = ["via", "publisher_organization"]
    readonly_fields = ["chain"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "url", "publisher", "publisher_organization", "published_on", "published_precision"]},
        ),
        (
            "Who said it and how it reached us",
            {"fields": ["quote", "attributed_to", "self_claim", "via", "chain"]},
        ),
        ("How far to trust it", {"fields": ["confidence", "reliability"]}),
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
class CorrectionAdmin(SimpleHistoryAdmin):
    form = CorrectionAdminForm
    list_display = ["article", "published_on", "text"]
    list_select_related = ["article"]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_on"
