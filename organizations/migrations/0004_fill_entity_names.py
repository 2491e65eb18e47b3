"""The keys of every organization's, person's and technology's name and aliases (lenrnews.names)."""

from django.db import migrations

from lenrnews.names import name_keys


def fill_names(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    EntityName = apps.get_model("lenrnews", "EntityName")
    for model_name in ("organization", "person", "technology"):
        model = apps.get_model("organizations", model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="organizations", model=model_name)
        rows = []
        for pk, name, aliases in model.objects.values_list("pk", "name", "aliases").iterator():
            key, alias_keys = name_keys(name, aliases)
            if key:
                rows.append(EntityName(content_type=content_type, object_id=pk, key=key, is_alias=False))
            rows += [EntityName(content_type=content_type, object_id=pk, key=k, is_alias=True) for k in alias_keys]
        EntityName.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("lenrnews", "0003_entity_names_and_slug_history"),
        ("organizations", "0003_citations_ends_and_notes"),
    ]

    operations = [migrations.RunPython(fill_names, migrations.RunPython.noop)]
