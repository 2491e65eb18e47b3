"""Helpers for tests that post admin forms."""


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
