"""Helpers for tests that post admin forms."""

import datetime

from django.forms import ModelMultipleChoiceField, MultipleChoiceField
from django.utils import timezone


def inline_management(prefix, total=0, initial=0):
    """The management form of an admin inline: how many rows are posted and how many existed."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_errors(response):
    """Every error an admin change form shows: the main form's, then each inline row's."""
    errors = []
    adminform = response.context["adminform"]
    errors += [str(e) for field_errors in adminform.form.errors.values() for e in field_errors]
    for formset in response.context["inline_admin_formsets"]:
        errors += [str(e) for e in formset.formset.non_form_errors()]
        for form_errors_ in formset.formset.errors:
            errors += [str(e) for field_errors in form_errors_.values() for e in field_errors]
    return errors


def admin_form_data(response, **changes):
    """The POST data of an admin add/change page as rendered, with ``changes`` applied.

    Keys of ``changes`` are form field names; a datetime for a split date/time field is
    split into its two inputs.
    """
    data = {}
    forms = [response.context["adminform"].form]
    inlines = response.context["inline_admin_formsets"] if "inline_admin_formsets" in response.context else []
    for inline in inlines:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            key = form.add_prefix(name)
            value = form[name].value()
            if value is None and isinstance(form.fields[name], MultipleChoiceField | ModelMultipleChoiceField):
                continue
            data.update(_encode(key, value))
    main = forms[0]
    for name, value in changes.items():
        for stale in [k for k in data if k == name or k.startswith(f"{name}_")]:
            del data[stale]
        if name in main.fields:
            data.update(_encode(name, value))
        else:
            data[name] = value
    return data


def _encode(key, value):
    if value is None:
        return {key: ""}
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return {f"{key}_0": local.strftime("%Y-%m-%d"), f"{key}_1": local.strftime("%H:%M:%S")}
    if isinstance(value, datetime.date):
        return {key: value.isoformat()}
    if isinstance(value, bool):
        return {key: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {key: [getattr(v, "pk", v) for v in value]}
    return {key: getattr(value, "pk", value)}
