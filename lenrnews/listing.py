"""The machinery every public listing shares: a FilterSet-driven list view and the
filter form made pleasant on a page (widgets only; the FilterSet is the API's too)."""

from django import forms
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django_filters.conf import settings as filter_settings
from django_filters.views import FilterView

from lenrnews.filters import SUGGESTIONS, EntityNameField, without_empty_values
from lenrnews.forms import FastWidgetRenderer

PAGE_SIZE = 20
# Above this many choices a multiple choice is a list box, below it a row of checkboxes.
MAX_CHECKBOXES = 12
BOOLEAN_LABELS = {"true": "Yes", "false": "No"}
# Writes the same HTML as Django's widget templates, without a template per option.
WIDGET_RENDERER = FastWidgetRenderer()


def adapt_filter_form(form, text_inputs=(), labels=None):
    """Make a FilterSet's form pleasant on a page without changing what it accepts.

    Widgets only: the FilterSet (shared with the API) parses the same values.
    ``text_inputs`` names slug filters typed as text instead of a list of every row;
    ``labels`` renames controls whose generated label reads badly.
    """
    form.label_suffix = ""
    form.renderer = WIDGET_RENDERER
    labels = labels or {}
    for name, field in form.fields.items():
        field.label = labels.get(name) or str(field.label).replace(" (slug)", "").replace(" (name or slug)", "")
        if field.widget.is_hidden:  # an exact lookup (lenrnews.lookups): kept in the address, not a control
            continue
        if isinstance(field, EntityNameField):
            # A name typed with suggestions (a bounded list; the script asks the API for the rest).
            model = field.querysets[0].model
            field.widget = forms.TextInput(
                attrs={
                    "list": f"{name}-suggestions",
                    "autocomplete": "off",
                    "spellcheck": "false",
                    "data-suggest": reverse(f"api:{model._meta.model_name}-list"),
                }
            )
            field.suggestions = SuggestionList(field)
            field.help_text = field.help_text or "A name, an alias or the address of its page."
            continue
        if name in text_inputs:
            field.widget = forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "off"})
            field.help_text = field.help_text or "As in the address of its page, e.g. industrial-heat."
            continue
        if isinstance(field.widget, forms.NumberInput):
            # A text box shows a mistyped value back beside its error; a number box would blank it.
            mode = "numeric" if isinstance(field, forms.IntegerField) else "decimal"
            field.widget = forms.TextInput(attrs={"inputmode": mode})
        elif isinstance(field, forms.NullBooleanField) and isinstance(field.widget, forms.Select):
            # Keep the field's own widget (it parses the value); only say "Any" for "Unknown".
            field.widget.choices = [
                (value, "Any" if value in ("", "unknown") else label) for value, label in field.widget.choices
            ]
        elif isinstance(field, forms.MultipleChoiceField):
            if len(field.choices) <= MAX_CHECKBOXES:
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
            else:
                field.widget = forms.SelectMultiple(choices=field.choices, attrs={"size": 6})
                field.help_text = field.help_text or "Hold Ctrl (⌘ on a Mac) to choose several."
        if getattr(field, "empty_label", None) == filter_settings.EMPTY_CHOICE_LABEL:
            field.empty_label = "Any"
            # The widget holds its own copy of the choices, made before the label changed.
            field.widget.choices = field.choices
        if isinstance(field, forms.ModelChoiceField) and isinstance(field.widget, forms.Select):
            if _labelled_by_name(field):
                field.widget.choices = NameChoices(field)
        if name == "q":
            field.widget.input_type = "search"


class SuggestionList:
    """The names a name filter offers as the reader types: the first of each kind, read when rendered."""

    def __init__(self, field):
        self.field = field
        self.names = None

    def __iter__(self):
        if self.names is None:
            self.names = []
            for queryset in self.field.querysets:
                self.names += list(queryset.order_by("name").values_list("name", flat=True)[:SUGGESTIONS])
        return iter(self.names[:SUGGESTIONS])


def show_facets(filterset, counts):
    """Each faceted option labelled with its count ("Company (12)"); a long list (countries) keeps
    only the options that have rows, and the ones chosen."""
    for name, by_value in counts.items():
        field = filterset.form.fields[name]
        chosen = set(filterset.form.data.getlist(name)) if filterset.is_bound else set()
        choices = []
        for value, label in field.choices:
            if value in ("", None):
                choices.append((value, label))
                continue
            rows = by_value.get(str(value), 0)
            if len(field.choices) > MAX_CHECKBOXES and not rows and str(value) not in chosen:
                continue
            choices.append((value, f"{label} ({rows})"))
        field.unfaceted_choices = field.choices
        field.choices = choices
        field.widget.choices = choices


def _labelled_by_name(field):
    """True when a model choice's label is its row's ``name`` (so the rows need not be built)."""
    model = field.queryset.model
    if type(field).label_from_instance is not forms.ModelChoiceField.label_from_instance:
        return False
    if "name" not in {f.name for f in model._meta.concrete_fields}:
        return False
    probe = "probe <name>"
    return str(model(name=probe)) == probe


class NameChoices:
    """A model choice list's options read as (value, name) pairs instead of model instances.

    The same options in the same order as ``ModelChoiceIterator`` (one query, when
    rendered); a list of a thousand technologies no longer builds a thousand rows.
    """

    def __init__(self, field):
        self.field = field
        self.options = None

    def __iter__(self):
        if self.options is None:
            field = self.field
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            self.options = empty + list(field.queryset.values_list(field.to_field_name or "pk", "name"))
        return iter(self.options)


def _value_label(field, value, cleaned):
    if isinstance(field, forms.ModelChoiceField | EntityNameField):
        return str(cleaned) if cleaned else value
    if isinstance(field, forms.NullBooleanField):
        return BOOLEAN_LABELS.get(value, value)
    choices = getattr(field, "unfaceted_choices", None) or getattr(field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices if not isinstance(label, list | tuple)}
        return labels.get(value, value)
    return value


def active_filters(request, filterset):
    """One removable chip per filter value in the URL: its label, value and the URL without it."""
    form = filterset.form
    cleaned = getattr(form, "cleaned_data", {})
    chips = []
    for name, field in form.fields.items():
        values = [v for v in request.GET.getlist(name) if v.strip()]
        for value in values:
            if isinstance(field, forms.NullBooleanField) and value not in ("true", "false") and name not in form.errors:
                continue
            remaining = request.GET.copy()
            remaining.setlist(name, [v for v in values if v != value])
            remaining.pop("page", None)
            query = remaining.urlencode()
            chips.append(
                {
                    "name": name,
                    "label": field.label,
                    "value": _value_label(field, value, cleaned.get(name)),
                    "remove_url": f"{request.path}?{query}" if query else request.path,
                    "invalid": name in form.errors,
                }
            )
    return chips


class FilteredListView(FilterView):
    """A listing driven by a FilterSet: 400 with the form's errors on a bad value,
    404 for a page past the end, removable chips for the active filters."""

    paginate_by = PAGE_SIZE
    text_input_filters: tuple[str, ...] = ()
    filter_labels: dict[str, str] = {}
    strict = True

    # Filters whose options show how many rows each would give: filter name -> model field.
    facets: dict[str, str] = {}

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        adapt_filter_form(filterset.form, self.text_input_filters, self.filter_labels)
        self.facet_rows = {}
        if self.facets and (not filterset.is_bound or filterset.is_valid()):
            self.facet_rows = self.facet_counts(filterset_class)
            show_facets(filterset, self.facet_rows)
        return filterset

    def facet_counts(self, filterset_class):
        """For each faceted filter, the rows each of its options would give with every other filter as set.

        One query a facet, whatever the number of rows or options.
        """
        counts = {}
        for name, field in self.facets.items():
            data = self.request.GET.copy()
            data.pop(name, None)
            data.pop("page", None)
            others = filterset_class(data, queryset=self.get_queryset(), request=self.request)
            if not others.is_valid():
                continue
            rows = others.qs.order_by().values(field).annotate(rows=Count("pk", distinct=True))
            counts[name] = {str(row[field]): row["rows"] for row in rows}
        return counts

    def get(self, request, *args, **kwargs):
        # The form sends every control, filled or not: an empty one filters nothing (as in
        # the API). Drop them so the address is short enough to share; nothing else changes.
        if any("" in values for _, values in request.GET.lists()):
            query = without_empty_values(request.GET).urlencode()
            return redirect(f"{request.path}?{query}" if query else request.path)
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active_filters"] = active_filters(self.request, self.filterset)
        context["result_count"] = context["paginator"].count
        context["csv_url"] = self.csv_url()
        return context

    # The API list of the same rows (its basename): the page's "Download CSV".
    api_basename: str | None = None

    def csv_url(self):
        """The API list with this page's filters (only those: a reader's other parameters stay out), as CSV."""
        if self.api_basename is None or not self.filterset.is_valid():
            return None
        query = QueryDict(mutable=True)
        for name in self.filterset.filters:
            values = [value for value in self.request.GET.getlist(name) if value != ""]
            if values:
                query.setlist(name, values)
        query["format"] = "csv"
        return f"{reverse(f'api:{self.api_basename}-list')}?{query.urlencode()}"
