"""Admin building blocks shared by the apps: the trash, deletes refused while linked, reverts with their links,
duplicate warnings and merging, spreadsheets in (CSV import with a dry run) and out (CSV and XLSX export of
the selected rows of every list)."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from lenrnews.history import HistoryAdmin

from .duplicates import RULES, duplicate_candidates
from .merge import MergeRefused, merge_records, references_to
from .models import records_linking_to
from .spreadsheets import FileProblem, Resource, export_rows, read_csv, run_import, write_csv, write_xlsx


def describe_record(obj):
    """'article “Title”': how a list of records names one."""
    return f"{obj._meta.verbose_name} “{obj}”"


class RefuseDeleteWhileLinkedAdmin(admin.ModelAdmin):
    """The delete confirmation refuses, listing them, while other records link to the one deleted.

    Django's own page for ``PROTECT``: the records are shown as the protected ones, and
    the delete (one, or the bulk action) does not run.
    """

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        linking = [describe_record(linked) for obj in objs for linked in records_linking_to(obj)]
        return to_delete, model_count, perms_needed, [*protected, *linking]


class RevertRestoresLinksAdmin(HistoryAdmin):
    """A revision's revert form starts from its many-to-many links too (simple-history's ``m2m_fields``).

    Django's form would otherwise show the links as they are now, and saving would keep them.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        revision = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if revision is None:
            return form
        initial = {}
        for field in revision._history_m2m_fields:
            target = field.m2m_reverse_field_name()
            initial[field.name] = [getattr(row, f"{target}_id") for row in getattr(revision, field.name).all()]
        return type(form.__name__, (RevisionLinksForm, form), {"revision_links": initial})


class RevisionLinksForm(forms.ModelForm):
    revision_links: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, pks in self.revision_links.items():
            if name in self.fields:
                self.initial[name] = pks


class TrashAdmin(admin.ModelAdmin):
    """The Trash: records deleted in the last 30 days, each restorable (a proxy model's admin).

    Read-only; restoring takes the model's delete permission (who may delete may undo it).
    ``purge_trash`` deletes them for good after 30 days.
    """

    list_display = ["__str__", "deleted_at"]
    ordering = ["-deleted_at"]
    actions = ["restore"]
    date_hierarchy = None

    def get_queryset(self, request):
        return super().get_queryset(request)  # the proxy's default manager: the trash only

    def _may_restore(self, request):
        opts = self.model._meta.concrete_model._meta
        return request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}")

    def has_module_permission(self, request):
        return self._may_restore(request)

    def has_view_permission(self, request, obj=None):
        return self._may_restore(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request):
        return self._may_restore(request)

    @admin.action(description="Restore (take out of the trash)", permissions=["restore"])
    def restore(self, request, queryset):
        restored = list(queryset)
        for obj in restored:
            obj.restore()
        self.message_user(
            request,
            format_html("{} restored: {}", len(restored), ", ".join(str(obj) for obj in restored)),
            messages.SUCCESS,
        )


class MoveToTrashAdmin(admin.ModelAdmin):
    """Deleting moves to the trash (the Trash admin restores); nothing is deleted for good here."""

    def delete_model(self, request, obj):
        obj.trash()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            obj.trash()

    def get_deleted_objects(self, objs, request):
        # Nothing else goes: the page lists only the records moved to the trash.
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        opts = self.model._meta
        return (
            [f"{describe_record(obj)} (moved to the trash, restorable for 30 days)" for obj in objs],
            {opts.verbose_name_plural: len(objs)},
            perms_needed,
            [],
        )


DUPLICATE_REFUSED = (
    "This looks like a record already in the database (see the list above). If it is a different one, tick "
    "“It is a different one” and save again; if it is the same, edit that one instead."
)


class DuplicateCheckForm(forms.ModelForm):
    """An add form that refuses, until confirmed, a record that looks like a stored one (``lenrnews.duplicates``).

    The candidates are kept on the instance (``duplicate_candidates``) for the warning above the form.
    """

    confirm_distinct = forms.BooleanField(
        required=False,
        label="It is a different one",
        help_text="Save it even though the records listed look the same.",
    )
    parties_in_inlines = False

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        instance.duplicate_confirmed = bool(cleaned.get("confirm_distinct"))
        instance.duplicate_form_data = cleaned if not self._errors else None
        if self.parties_in_inlines or self._errors:
            return cleaned  # a deal's or an event's parties are checked with its inlines
        instance.duplicate_candidates = duplicate_candidates(self._meta.model, cleaned)
        if instance.duplicate_candidates and not instance.duplicate_confirmed:
            raise forms.ValidationError(DUPLICATE_REFUSED, code="duplicate")
        return cleaned


class _InlineDuplicateCheck:
    """A deal's or an event's duplicate check, run with its party inlines (whose rows are its parties)."""

    def __init__(self, model, obj, formsets):
        self.model = model
        self.obj = obj
        self.rule = RULES[model]
        self.formsets = {}
        for field_name in self.rule.party_fields:
            field = model._meta.get_field(field_name)
            through = field.remote_field.through
            for formset in formsets:
                if formset.model is through:
                    self.formsets[field_name] = (formset, field.m2m_reverse_field_name())

    def attach(self):
        """Run the check as the first party formset's own ``clean`` (its error keeps the deal from saving)."""
        if not self.formsets:
            return
        target = next(iter(self.formsets.values()))[0]
        own_clean = target.clean

        def clean():
            own_clean()
            self.check(target)

        target.clean = clean

    def check(self, target):
        obj = self.obj
        data = getattr(obj, "duplicate_form_data", None)
        if data is None or getattr(obj, "duplicate_confirmed", False):
            return
        others_valid = all(formset.is_valid() for formset, _ in self.formsets.values() if formset is not target)
        if not others_valid or not all(form.is_valid() for form in target.forms):
            return
        parties = dict(data)
        for field_name, (formset, target_field) in self.formsets.items():
            parties[field_name] = [
                form.cleaned_data[target_field]
                for form in formset.forms
                if form.cleaned_data.get(target_field) and not form.cleaned_data.get("DELETE")
            ]
        obj.duplicate_candidates = duplicate_candidates(self.model, parties)
        if obj.duplicate_candidates:
            raise forms.ValidationError(DUPLICATE_REFUSED, code="duplicate")


class DuplicateWarningAdmin(admin.ModelAdmin):
    """Adding a record that looks like a stored one shows the candidates above the form, with a box to tick.

    Saving is refused until the box is ticked: the same rule (``lenrnews.duplicates``) as the API's 409.
    Changing a record is not checked.
    """

    change_form_template = "admin/duplicate_warning_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None or self.model not in RULES:
            return form
        parties_in_inlines = bool(RULES[self.model].party_fields)
        return type(form.__name__, (DuplicateCheckForm, form), {"parties_in_inlines": parties_in_inlines})

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        if not change and request.method == "POST" and self.model in RULES and RULES[self.model].party_fields:
            _InlineDuplicateCheck(self.model, obj, formsets).attach()
        return formsets, inline_instances


class MergeForm(forms.Form):
    """The survivor of a merge: one of the records chosen, or (for one record) any other found by name."""

    survivor: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label="Keep", empty_label=None)

    def __init__(self, *args, model_admin, selected, **kwargs):
        super().__init__(*args, **kwargs)
        self.selected = selected
        model = model_admin.model
        field = self.fields["survivor"]
        field.queryset = model._default_manager.all()
        if len(selected) > 1:
            field.queryset = model._default_manager.filter(pk__in=[obj.pk for obj in selected])
            field.widget = forms.RadioSelect()
            field.help_text = "The one kept; the others are merged into it and deleted."
        else:
            field.label = "Merge into"
            field.help_text = f"The {model._meta.verbose_name} kept; type to find it by name."
            reference = next(
                rel.field for rel in model._meta.related_objects if isinstance(rel.field, models.ForeignKey)
            )
            field.widget = AutocompleteSelect(reference, model_admin.admin_site)
        field.widget.choices = field.choices

    def clean_survivor(self):
        survivor = self.cleaned_data["survivor"]
        if len(self.selected) == 1 and survivor.pk == self.selected[0].pk:
            raise forms.ValidationError("A record cannot be merged into itself: choose another one.")
        return survivor

    @property
    def losers(self):
        survivor = self.cleaned_data["survivor"]
        return [obj for obj in self.selected if obj.pk != survivor.pk]


class MergeAdmin(admin.ModelAdmin):
    """The action "Merge into…": choose the record kept, confirm, and the others are folded into it
    (``lenrnews.merge``). It takes the change and the delete permission."""

    actions = ["merge_into"]

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description="Merge into…", permissions=["merge"])
    def merge_into(self, request, queryset):
        selected = list(queryset.order_by("pk"))
        step = request.POST.get("merge_step")
        form = MergeForm(request.POST if step else None, model_admin=self, selected=selected)
        if step == "confirm" and form.is_valid():
            return self._merge(request, form)
        confirming = step == "choose" and form.is_valid()
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge: confirm" if confirming else "Merge into…",
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "selected": selected,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "confirming": confirming,
            "has_names": any(f.name == "aliases" for f in self.opts.fields),
        }
        if confirming:
            context["survivor"] = form.cleaned_data["survivor"]
            context["losers"] = [(obj, references_to(obj)) for obj in form.losers]
        return TemplateResponse(request, "admin/merge_into.html", context)

    def _merge(self, request, form):
        survivor = form.cleaned_data["survivor"]
        reports = []
        try:
            for loser in form.losers:
                reports.append(merge_records(loser=loser, survivor=survivor, user=request.user))
        except (MergeRefused, models.ProtectedError) as error:
            self.message_user(request, f"Nothing more was merged: {error}", messages.ERROR)
            return None
        for report in reports:
            aliases = f"; its names are now aliases: {', '.join(report.aliases_added)}" if report.aliases_added else ""
            self.message_user(
                request,
                f"Merged “{report.loser}” into “{report.survivor}”: {report.moved} reference(s) moved, "
                f"{report.folded} kept once where both had one{aliases}. Its old address redirects here.",
                messages.SUCCESS,
            )
        opts = self.opts
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[survivor.pk]))


# --- Spreadsheets in: CSV import with a dry run --------------------------------------------

IMPORT_SALT = "lenrnews.admin.spreadsheet-import"
IMPORT_PREVIEW_SECONDS = 60 * 60  # how long a previewed file may be confirmed


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,  # the import says which file is empty
        help_text="Saved as “CSV UTF-8 (Comma delimited)”; the first line names the columns.",
    )


class SpreadsheetImportAdmin(admin.ModelAdmin):
    """An "Import CSV" page beside the list: upload, a dry run showing every row, then confirm.

    The dry run is the import itself, rolled back; confirming runs it again on the same
    file (carried signed in the form, for an hour) and keeps it only if every row is
    right. Needs the add and change permissions.
    """

    import_resource: type[Resource] | None = None
    change_list_template = "admin/spreadsheets/change_list.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def has_import_permission(self, request):
        return (
            self.import_resource is not None
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def import_url(self):
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_import")

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_import_permission(request):
            extra_context["spreadsheet_import_url"] = self.import_url()
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        assert self.import_resource is not None
        resource = self.import_resource()
        opts = self.model._meta
        form = SpreadsheetUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"Import {opts.verbose_name_plural} from a CSV file",
            "resource": resource,
            "changelist_url": reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"),
        }
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm(request, resource, context)
        if request.method == "POST":
            form = SpreadsheetUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    table = self._read_upload(upload, resource)
                except FileProblem as problem:
                    form.add_error("file", str(problem))
                else:
                    result = run_import(resource, table, commit=False)
                    context |= {"result": result, "file_name": table.name}
                    if not result.errors:
                        context["payload"] = signing.dumps(
                            {
                                "model": opts.label_lower,
                                "user": request.user.pk,
                                "name": table.name,
                                "text": table.text,
                            },
                            salt=IMPORT_SALT,
                            compress=True,
                        )
        context["form"] = form
        return TemplateResponse(request, "admin/spreadsheets/import.html", context)

    @staticmethod
    def _read_upload(upload, resource):
        from django.conf import settings

        limit = settings.SPREADSHEET_IMPORT_MAX_BYTES
        if upload.size > limit:  # refused before it is read
            from .spreadsheets import size_display

            raise FileProblem(
                f"{upload.name} is {size_display(upload.size)}; an import takes at most {size_display(limit)} "
                "(setting SPREADSHEET_IMPORT_MAX_BYTES). Split it into smaller files."
            )
        return read_csv(upload.read(), upload.name, resource)

    def _confirm(self, request, resource, context):
        opts = self.model._meta
        try:
            payload = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_PREVIEW_SECONDS)
        except signing.SignatureExpired:
            payload = None
            problem = "The preview is more than an hour old: upload the file again."
        except signing.BadSignature:
            payload = None
            problem = "The preview could not be read back: upload the file again."
        else:
            problem = ""
            if payload.get("model") != opts.label_lower or payload.get("user") != request.user.pk:
                payload, problem = None, "The preview is of another list or another person: upload the file again."
        if payload is None:
            form = SpreadsheetUploadForm()
            context |= {"form": form, "problem": problem}
            return TemplateResponse(request, "admin/spreadsheets/import.html", context, status=400)
        name = payload["name"]
        try:
            table = read_csv(payload["text"].encode("utf-8"), name, resource)
        except FileProblem as error:  # the limits changed since the preview
            context |= {"form": SpreadsheetUploadForm(), "problem": str(error)}
            return TemplateResponse(request, "admin/spreadsheets/import.html", context, status=400)

        def log(obj, created):
            message = f"Imported from {name}"
            if created:
                self.log_addition(request, obj, message)
            else:
                self.log_change(request, obj, message)

        result = run_import(resource, table, commit=True, on_saved=log)
        if not result.committed:
            # The records changed between the preview and the confirmation: nothing was kept.
            context |= {
                "form": SpreadsheetUploadForm(),
                "result": result,
                "file_name": name,
                "problem": "Nothing was imported: since the preview, some rows stopped being right.",
            }
            return TemplateResponse(request, "admin/spreadsheets/import.html", context, status=400)
        self.message_user(request, f"Imported {name}: {result.summary}.", messages.SUCCESS)
        return HttpResponseRedirect(context["changelist_url"])


# --- Spreadsheets out: the selected rows of every admin list, as CSV or XLSX -----------------


def _export(modeladmin, queryset, extension):
    resource_class = getattr(modeladmin, "import_resource", None)
    headers, rows = export_rows(queryset, resource_class() if resource_class else None)
    opts = modeladmin.model._meta
    name = f"{opts.model_name}-{datetime.date.today():%Y-%m-%d}.{extension}"
    if extension == "csv":
        content = write_csv(headers, rows)
        content_type = "text/csv; charset=utf-8"
    else:
        content = write_xlsx(headers, rows, title=str(opts.verbose_name_plural))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@admin.action(description="Export selected %(verbose_name_plural)s as CSV", permissions=["view"])
def export_selected_csv(modeladmin, request, queryset):
    return _export(modeladmin, queryset, "csv")


@admin.action(description="Export selected %(verbose_name_plural)s as a spreadsheet (XLSX)", permissions=["view"])
def export_selected_xlsx(modeladmin, request, queryset):
    return _export(modeladmin, queryset, "xlsx")


# Every list of the admin (ours and the libraries') offers both.
admin.site.add_action(export_selected_csv, "export_selected_csv")
admin.site.add_action(export_selected_xlsx, "export_selected_xlsx")
