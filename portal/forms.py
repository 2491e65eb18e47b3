"""The network's filters, one form for the /network/ page and the API's network/ (same parameters, same graph)."""

from django import forms

from lenrnews.filters import EntityNameField
from lenrnews.models import Confidence
from organizations.models import Organization, Person, Technology

from .connections import LINK_KINDS, LinkFilters
from .network import MAX_CAP, NETWORK_CAP

PARTY_QUERYSETS = [Organization.objects.all(), Person.objects.all(), Technology.objects.all()]


class NetworkForm(forms.Form):
    around = EntityNameField(
        required=False,
        querysets=PARTY_QUERYSETS,
        label="Around",
        help_text="An organization, a person or a technology: a name, an alias or a slug. Empty: the whole field.",
    )
    depth = forms.TypedChoiceField(
        choices=[("1", "1 step"), ("2", "2 steps")],
        coerce=int,
        required=False,
        empty_value=None,
        label="Steps",
        help_text="How far from the party chosen (2 by default).",
    )
    kind = forms.MultipleChoiceField(choices=list(LINK_KINDS.items()), required=False, label="Kind of link")
    year_min = forms.IntegerField(min_value=1000, max_value=9999, required=False, label="From year")
    year_max = forms.IntegerField(min_value=1000, max_value=9999, required=False, label="Until year")
    min_confidence = forms.ChoiceField(
        choices=[("", "Any"), *Confidence.choices],
        required=False,
        label="At least",
        help_text="This level of confidence or surer. Parent organizations count as reported.",
    )
    max_nodes = forms.IntegerField(
        min_value=2,
        max_value=MAX_CAP,
        required=False,
        label="Most parties drawn",
        help_text=f"{NETWORK_CAP} by default, at most {MAX_CAP}.",
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("year_min"), cleaned.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error("year_max", "The last year comes after the first.")
        return cleaned

    def link_filters(self) -> LinkFilters:
        data = self.cleaned_data
        return LinkFilters(
            kinds=tuple(data.get("kind") or LINK_KINDS),
            min_confidence=data.get("min_confidence") or Confidence.DENIED,
            year_min=data.get("year_min"),
            year_max=data.get("year_max"),
        )

    @property
    def cap(self):
        return self.cleaned_data.get("max_nodes") or NETWORK_CAP

    @property
    def steps(self):
        return self.cleaned_data.get("depth") or 2
