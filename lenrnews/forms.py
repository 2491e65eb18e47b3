"""A form renderer that writes the common widgets' and field groups' HTML in Python.

Django renders each ``<option>`` and checkbox through two or three template includes;
a country list is 250 of them and made up most of a filtered listing's time. This
renderer produces the same HTML, byte for byte, as Django's templates
``django/forms/widgets/{input,select,multiple_input}.html`` and their option templates,
``django/forms/field.html`` and ``django/forms/label.html``, with the same escaping;
any other template (error lists, whole forms, custom widgets) goes through the
template engine as before.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData


def _text(value):
    """``{{ value }}``: localized, then escaped unless already safe."""
    if isinstance(value, str):
        # django.utils.html.escape is html.escape; called directly for the thousands of options.
        return value if isinstance(value, SafeData) else html.escape(value)
    return conditional_escape(localize(value))


def _string(value):
    """``{{ value|stringformat:'s' }}``: '%s', escaped unless the value was safe."""
    text = value if type(value) is str else "%s" % (value,)  # noqa: UP031 - the filter's own formatting
    return text if isinstance(value, SafeData) else html.escape(text)


def _attrs(attrs):
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"')
    return "".join(parts)


def _input(widget):
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _input_option(option):
    """django/forms/widgets/input_option.html (checkbox and radio options)."""
    if not option["wrap_label"]:
        return f"{_input(option)}\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{_text(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)} {_text(option['label'])}</label>\n"


def _select_option(option):
    """django/forms/widgets/select_option.html."""
    return f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'


def _render(template_name, widget):
    render = TEMPLATES.get(template_name)
    if render is None:
        raise _Unsupported
    return render(widget)


def _select(widget):
    """django/forms/widgets/select.html."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f"\n  {_render(option['template_name'], option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(widget):
    """django/forms/widgets/multiple_input.html (checkbox and radio lists)."""
    widget_id = widget["attrs"].get("id")
    css_class = widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_text(widget_id)}"' if widget_id else "",
        f' class="{_text(css_class)}"' if css_class else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        parts.extend(f"<div>\n    {_render(option['template_name'], option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _including(render):
    """A template that is only ``{% include %}`` of another (and the file's last newline)."""
    return lambda widget: f"{render(widget)}\n"


# Template name -> its output, trailing newlines included, as the template engine writes it.
TEMPLATES = {
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/text.html": _including(_input),
    "django/forms/widgets/search.html": _including(_input),
    "django/forms/widgets/number.html": _including(_input),
    "django/forms/widgets/date.html": _including(_input),
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/select_option.html": _select_option,
    "django/forms/widgets/input_option.html": _input_option,
    "django/forms/widgets/checkbox_option.html": _including(_input_option),
    "django/forms/widgets/radio_option.html": _including(_input_option),
    "django/forms/widgets/multiple_input.html": _multiple_input,
    "django/forms/widgets/checkbox_select.html": _including(_multiple_input),
    "django/forms/widgets/radio.html": _including(_multiple_input),
}


def _label(context):
    """django/forms/label.html (a field's <label>, or <legend> for a group of controls)."""
    if not context["use_tag"]:
        return f"{_text(context['label'])}\n"
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_text(context['label'])}</{tag}>\n"


def _field(context):
    """django/forms/field.html: label (or legend), help text, errors and widget."""
    field = context["field"]
    use_fieldset = field.use_fieldset
    parts = []
    if use_fieldset:
        aria = field.aria_describedby
        described = f' aria-describedby="{_text(aria)}"' if aria else ""
        parts.append(f"\n  <fieldset{described}>\n  ")
        if field.label:
            parts.append(_text(field.legend_tag()))
    else:
        parts.append("\n  ")
        if field.label:
            parts.append(_text(field.label_tag()))
    parts.append("\n\n")
    if field.help_text:
        help_id = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        parts.append(f'<div class="helptext"{help_id}>{field.help_text}</div>')
    parts.append("\n")
    errors = field.errors
    if errors:
        # Rare: left to the error list's own template.
        parts.append(_text(errors))
    parts.append("\n")
    parts.append(_text(field))
    if use_fieldset:
        parts.append("</fieldset>")
    parts.append("\n")
    return "".join(parts)


# Form templates written here, by name: their output from their context.
FORM_TEMPLATES = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
}


class _Unsupported(Exception):
    """A widget uses an option template this module does not write: use the templates."""


class FastWidgetRenderer(DjangoTemplates):
    """Django's default renderer, with the common widgets written in Python."""

    def render(self, template_name, context, request=None):
        if template_name in FORM_TEMPLATES:
            return FORM_TEMPLATES[template_name](context).strip()
        if template_name in TEMPLATES and "widget" in context:
            try:
                return _render(template_name, context["widget"]).strip()
            except _Unsupported:
                pass
        return super().render(template_name, context, request)
