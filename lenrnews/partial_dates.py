"""Dates known to the day, the month or the year, typed as people write them: "2015", "2015-05", "2015-05-20".

A model keeps such a date as a ``DateField`` beside a precision field (``DatePrecision``):
"sometime in 2015" is 1 January 2015 with precision year. Typing the date sets both at
once; a precision given as well may only say less than the date typed ("2015-10-01" with
precision month), never more ("2015" with precision day is refused). The rule is
``resolve_precision``; the API (``lenrnews.serializers.PartialDateField``) and the admin
(``PartialDatesAdmin``) both call it.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from lenrnews.models import DatePrecision

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PARTIAL_DATE_FORMS = "2015, 2015-05 or 2015-05-20 (a year, a month or a day)"
PARTIAL_DATE_HINT = f"Enter a valid date. Write {PARTIAL_DATE_FORMS}."
PARTIAL_DATE_WRITTEN = f"Written {PARTIAL_DATE_FORMS}, as far as it is known."
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# From the least known to the most.
_ORDER: list[str] = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY]


def parse_partial_date(text: str) -> tuple[datetime.date, str]:
    """``(date, precision)`` of "2015", "2015-05" or "2015-05-20"; a ValidationError with a hint otherwise."""
    match = _PARTIAL_DATE.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValidationError(PARTIAL_DATE_HINT, code="invalid")
    year, month, day = match.groups()
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValidationError(
            f"Enter a valid date. {text.strip()} is not on the calendar: write {PARTIAL_DATE_FORMS}.",
            code="invalid",
        ) from None
    return value, precision


def format_partial_date_iso(value: datetime.date | None, precision: str) -> str:
    """ "2015", "2015-05" or "2015-05-20": the date as far as it is known, as it is typed."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def resolve_precision(typed: str, given: str | None, text: str = "") -> str:
    """The precision of a date typed with ``typed`` precision, when the writer also gave ``given`` (or None).

    A given precision may say less than the date typed (a full date with precision
    month: the day is not known), never more: "2015" is not a date known to the day.
    """
    if not given or given == typed:
        return typed
    if _ORDER.index(given) > _ORDER.index(typed):
        what = "a year" if typed == DatePrecision.YEAR else "a month"
        example = "2015-05-20" if given == DatePrecision.DAY else "2015-05"
        raise ValidationError(
            f"{text or 'The date'} gives only {what}, not a {given}: type it as {example}, "
            f"or choose precision {typed}.",
            code="precision",
        )
    return given


def partial_date_pairs(model) -> dict[str, str]:
    """The model's partial dates: {date field: its precision field}.

    A precision field is a ``CharField`` with the ``DatePrecision`` choices; it belongs
    to ``<date>_precision``, to ``<date without _on>_precision`` (``published_on``:
    ``published_precision``), and ``date_precision`` to the one date left without one. A date
    nobody types (``editable=False``: derived, like a deal's ``ended_on``) is none of them.
    """
    fields = {field.name: field for field in model._meta.concrete_fields}
    precisions = {
        name
        for name, field in fields.items()
        if isinstance(field, models.CharField)
        and field.choices
        and set(DatePrecision.values) == set(dict(field.choices))
    }
    dates = [name for name, field in fields.items() if type(field) is models.DateField and field.editable]
    pairs = {}
    for name in dates:
        for candidate in (f"{name}_precision", f"{name.removesuffix('_on')}_precision"):
            if candidate in precisions:
                pairs[name] = candidate
                break
    unpaired = [name for name in dates if name not in pairs]
    if "date_precision" in precisions and "date_precision" not in pairs.values() and len(unpaired) == 1:
        pairs[unpaired[0]] = "date_precision"
    return pairs


# --- The admin ---------------------------------------------------------------------------


class PartialDateFormField(forms.Field):
    """A date typed as "2015", "2015-05" or "2015-05-20" (cleaned to the first day of what is known)."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        return parse_partial_date(text)[0]

    def has_changed(self, initial, data):
        return _as_typed(initial) != _as_typed(data)


def _as_typed(value):
    """A form value as it would be typed: "2015-10" and the initial "2015-10" are the same."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return format_partial_date_iso(*parse_partial_date(value))
    except ValidationError:
        return value


PARTIAL_DATE_HELP = "Type 2015, 2015-05 or 2015-05-20, as far as the date is known; the precision follows."


class PartialDatesFormMixin(forms.BaseModelForm):
    """A model form whose partial dates are typed as people write them, setting their precision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partial_dates = {
            date: precision
            for date, precision in partial_date_pairs(self._meta.model).items()
            if date in self.fields and precision in self.fields
        }
        for date, precision in self.partial_dates.items():
            old = self.fields[date]
            widget = old.widget if isinstance(old.widget, forms.TextInput) else forms.TextInput()
            widget.attrs.update({"placeholder": "2015-05-20", "size": 10})
            self.fields[date] = PartialDateFormField(
                required=old.required, label=old.label, help_text=PARTIAL_DATE_HELP, widget=widget
            )
            if self.instance.pk is not None:
                value = getattr(self.instance, date)
                self.initial[date] = format_partial_date_iso(value, getattr(self.instance, precision))

    def clean(self):
        cleaned_data = super().clean()
        for date, precision in self.partial_dates.items():
            text = self[date].data
            if date in self._errors or precision in self._errors or not isinstance(text, str) or not text.strip():
                continue
            if date not in self.changed_data and precision not in self.changed_data:
                # Unchanged: shown as typed ("2015-10"), kept as stored (a day known only to the month stays).
                cleaned_data[date] = getattr(self.instance, date)
                continue
            typed = parse_partial_date(text)[1]
            given = cleaned_data.get(precision) if precision in self.changed_data else None
            try:
                cleaned_data[precision] = resolve_precision(typed, given, text.strip())
            except ValidationError as error:
                self.add_error(precision, error)
        return cleaned_data


def with_partial_dates(form_class):
    """``form_class`` with its model's partial dates typed as people write them."""
    if issubclass(form_class, PartialDatesFormMixin):
        return form_class
    return type(form_class.__name__, (PartialDatesFormMixin, form_class), {})


class PartialDatesAdmin:
    """An admin (or inline) whose forms take partial dates as people write them."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_partial_dates(super().get_form(request, obj, change=change, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_partial_dates(formset.form)
        return formset
