"""Two editors on one change form: the second save is refused, not written over the first.

A change form carries, hidden, the version of the record as the editor opened it: the
digest the API's ``ETag`` is made of (``lenrnews.rest.record_version``), so a change
saved through either door makes the other's open form stale. Saving a stale form is
refused with the row locked, as a write with a stale ``If-Match`` is a 412: nothing is
saved (inlines included) and the form is shown again with what the editor typed.

Add forms, admin actions and the revision revert page are not checked; nor is a form
posted without a version (a script), as an API write without ``If-Match`` is not.
"""

from django import forms
from django.utils import timezone

from lenrnews.rest import record_version, viewset_serving

VERSION_FIELD = "record_version"
STALE_REFUSED = (
    "Someone else changed this record since you opened it: reload it to see their changes, then make yours again."
)


class RecordVersionField(forms.CharField):
    """The hidden version: never one of the changes a save is logged with."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


class StaleSaveForm(forms.ModelForm):
    """A change form that carries the record's version and refuses a save over a newer one."""

    record_version = RecordVersionField()
    request = None  # set by ``RefuseStaleSavesAdmin.get_form``

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[VERSION_FIELD] = record_version(self.request, self.instance)

    def clean(self):
        opened = self.cleaned_data.get(VERSION_FIELD)
        if opened:
            model = type(self.instance)
            # Locked until the save commits: of two saves of one version, the second sees the first's.
            model._base_manager.select_for_update().filter(pk=self.instance.pk).values_list("pk").first()
            current = record_version(self.request, self.instance)
            if current is not None and current != opened:
                self.add_error(None, forms.ValidationError(stale_message(self.instance, self.request), code="stale"))
        return super().clean()


def stale_message(instance, request):
    """``STALE_REFUSED``, with who saved the record last and when, if its history says."""
    history = getattr(instance, "history", None)
    latest = history.select_related("history_user").first() if history is not None else None
    if latest is None:
        return STALE_REFUSED
    when = f"{timezone.localtime(latest.history_date):%d %b %Y %H:%M}"
    user = latest.history_user
    if user is None:
        return f"{STALE_REFUSED} It was last saved on {when}."
    who = "you, in another window or tab" if user.pk == request.user.pk else user.get_username()
    return f"{STALE_REFUSED} It was last saved on {when} by {who}."


class RefuseStaleSavesAdmin:
    """An admin whose change forms refuse a save over a change made since the form was opened."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not change or obj is None or viewset_serving(self.model) is None:
            return form  # an add form, or a model the API does not serve (it has no version)
        if not self.has_change_permission(request, obj):
            return form
        return type(form.__name__, (StaleSaveForm, form), {"request": request})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if VERSION_FIELD in form.fields:
            context["record_version_field"] = form[VERSION_FIELD]  # see templates/admin/change_form.html
        return super().render_change_form(request, context, add, change, form_url, obj)
