import datetime

import pytest
from django.contrib.auth.models import Group
from django.forms import ModelMultipleChoiceField, MultipleChoiceField
from django.utils import timezone

from articles.roles import EDITOR, WRITER, setup_roles
from articles.tests.factories import UserFactory


def role(name):
    """The group made by the roles migration (re-made after a transactional test flushed it)."""
    if not Group.objects.filter(name=name).exists():
        setup_roles()
    return Group.objects.get(name=name)


@pytest.fixture
def writer(db):
    user = UserFactory(username="wendy-writer", is_staff=True)
    user.groups.add(role(WRITER))
    return user


@pytest.fixture
def editor(db):
    user = UserFactory(username="eddie-editor", is_staff=True)
    user.groups.add(role(EDITOR))
    return user


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


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
