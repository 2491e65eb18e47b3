"""The Writer and Editor groups (see articles/roles.py); re-running changes nothing."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from articles.roles import setup_roles

    setup_roles(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("investments", "0002_initial"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
