"""The Python widget renderer writes exactly what Django's widget templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from lenrnews.forms import FastWidgetRenderer

CHOICES = [
    ("", "Any"),
    ("a&b", 'Tom & "Jerry" <b>'),
    ("us", "United States"),
    (3, 3000),
    ("safe", mark_safe("<em>kept</em>")),
    ("Group <1>", [("g1", "In a group"), ("g2", "Also <grouped>")]),
]


class EveryWidgetForm(forms.Form):
    text = forms.CharField(
        required=False,
        help_text="Free <b>text</b>",
        widget=forms.TextInput(attrs={"spellcheck": "false", "data-x": 'a"b'}),
    )
    q = forms.CharField(required=False)
    number = forms.IntegerField(required=False, label="Number?")
    unlabelled = forms.CharField(required=False, label="")
    described = forms.CharField(required=True, widget=forms.TextInput(attrs={"aria-describedby": "elsewhere"}))
    flag = forms.NullBooleanField(required=False)
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    boxes = forms.MultipleChoiceField(
        choices=CHOICES,
        required=False,
        help_text="Tick any",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "boxes"}),
    )
    radio = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect, label="Pick <one>")
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", "required": True}))
    disabled = forms.ChoiceField(choices=CHOICES, required=False, disabled=True)
    # Widgets this renderer leaves to the templates.
    tick = forms.BooleanField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["number"].widget = forms.NumberInput()


DATA = [
    {},
    {"text": "<script>alert(1)</script>", "q": 'a "quoted" & <b>', "number": "x", "flag": "true", "one": "a&b"},
    {"one": "3", "many": ["us", "g2", "a&b"], "boxes": ["us", "g1", "3"], "radio": "g2", "day": "2015-10-20"},
    {"many": ["nope"], "boxes": ["nope"], "radio": "nope", "one": "safe", "flag": "maybe"},
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("auto_id", ["id_%s", "", "f-%s"])
@pytest.mark.parametrize("label_suffix", [":", ""])
def test_every_widget_renders_byte_for_byte_as_the_templates(data, auto_id, label_suffix):
    templates = EveryWidgetForm(data or None, auto_id=auto_id, renderer=DjangoTemplates())
    python = EveryWidgetForm(data or None, auto_id=auto_id, renderer=FastWidgetRenderer())
    for form in (templates, python):
        form.label_suffix = label_suffix
        form.required_css_class = "required"
    templates.is_valid(), python.is_valid()

    for name in templates.fields:
        assert str(python[name]) == str(templates[name]), name
        assert python[name].as_field_group() == templates[name].as_field_group(), name
        assert python[name].label_tag() == templates[name].label_tag(), name
        assert python[name].legend_tag() == templates[name].legend_tag(), name
    assert python.as_div() == templates.as_div()


def test_escapes_labels_and_values():
    html = str(EveryWidgetForm(renderer=FastWidgetRenderer())["one"])

    assert '<option value="a&amp;b">Tom &amp; &quot;Jerry&quot; &lt;b&gt;</option>' in html
    assert '<optgroup label="Group &lt;1&gt;">' in html
    assert "<em>kept</em>" in html


def test_selected_options_are_marked():
    form = EveryWidgetForm({"many": ["us", "g2"], "boxes": ["g1"]}, renderer=FastWidgetRenderer())

    assert '<option value="us" selected>United States</option>' in str(form["many"])
    assert '<option value="g2" selected>Also &lt;grouped&gt;</option>' in str(form["many"])
    checkbox = '<input type="checkbox" name="boxes" value="g1" class="boxes" id="id_boxes_5_0" checked>'
    assert f'<label for="id_boxes_5_0">{checkbox}' in str(form["boxes"])
