"""The home page and the building blocks shared by every public listing."""

from django import forms
from django.db.models import F, Prefetch
from django.views.generic import TemplateView
from django_filters.conf import settings as filter_settings
from django_filters.views import FilterView

from articles.models import Article
from investments.models import Investment
from organizations.models import Organization, TechnologyStake

PAGE_SIZE = 20
# Above this many choices a multiple choice is a list box, below it a row of checkboxes.
MAX_CHECKBOXES = 12
BOOLEAN_CHOICES = [("", "Any"), ("true", "Yes"), ("false", "No")]


def adapt_filter_form(form, text_inputs=()):
    """Make a FilterSet's form pleasant on a page without changing what it accepts.

    Widgets only: the FilterSet (shared with the API) parses the same values.
    ``text_inputs`` names slug filters typed as text instead of a list of every row.
    """
    form.label_suffix = ""
    for name, field in form.fields.items():
        if name in text_inputs:
            field.widget = forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "off"})
            field.help_text = field.help_text or "As in the address of its page, e.g. industrial-heat."
            continue
        if isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=BOOLEAN_CHOICES)
        elif isinstance(field, forms.MultipleChoiceField):
            if len(field.choices) <= MAX_CHECKBOXES:
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
            else:
                field.widget = forms.SelectMultiple(choices=field.choices, attrs={"size": 6})
                field.help_text = field.help_text or "Hold Ctrl (⌘ on a Mac) to choose several."
        elif isinstance(field, forms.ModelChoiceField):
            field.label = str(field.label).replace(" (slug)", "")
        if getattr(field, "empty_label", None) == filter_settings.EMPTY_CHOICE_LABEL:
            field.empty_label = "Any"
            # The widget holds its own copy of the choices, made before the label changed.
            field.widget.choices = field.choices
        if name == "q":
            field.widget.input_type = "search"


def _value_label(field, value, cleaned):
    if isinstance(field, forms.ModelChoiceField):
        return str(cleaned) if cleaned else value
    if isinstance(field, forms.NullBooleanField):
        return dict(BOOLEAN_CHOICES).get(value, value)
    choices = getattr(field, "choices", None)
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
            if isinstance(field, forms.NullBooleanField) and value not in ("true", "false"):
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
    text_input_filters = ()
    strict = True

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        adapt_filter_form(filterset.form, self.text_input_filters)
        return filterset

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active_filters"] = active_filters(self.request, self.filterset)
        context["result_count"] = context["paginator"].count
        return context


class HomeView(TemplateView):
    template_name = "home.html"
    article_count = 10
    deal_count = 6
    organization_count = 8

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(
            Article.objects.published().select_related("author").prefetch_related("topics")[: self.article_count]
        )
        context["lead"] = articles[0] if articles else None
        context["articles"] = articles[1:]
        context["deals"] = (
            Investment.objects.select_related("recipient")
            .prefetch_related("investors", "investor_people")
            .order_by(F("announced_on").desc(nulls_last=True), "-id")[: self.deal_count]
        )
        context["organizations"] = (
            Organization.objects.with_deal_stats()
            .filter(latest_deal_on__isnull=False)
            .prefetch_related(Prefetch("stakes", queryset=TechnologyStake.objects.select_related("technology")))
            .order_by(F("latest_deal_on").desc(), "name")[: self.organization_count]
        )
        return context
