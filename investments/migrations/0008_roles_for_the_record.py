"""Editors get the new records (events, recipient rows, citations): the roles of articles/roles.py again."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from articles.roles import setup_roles

    setup_roles(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("investments", "0007_events_parties_and_status"),
        ("organizations", "0003_citations_ends_and_notes"),
        ("articles", "0008_source_kinds_and_speakers"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
