"""Sources keep their address and DOI normalized, for exact lookups and the duplicate guard."""

from django.db import migrations, models

from lenrnews.names import doi_key, url_key


def fill_keys(apps, schema_editor):
    Source = apps.get_model("articles", "Source")
    for source in Source.objects.only("url", "doi").iterator():
        Source.objects.filter(pk=source.pk).update(url_key=url_key(source.url)[:500], doi_key=doi_key(source.doi)[:200])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_source_kinds_and_speakers'),
    ]

    operations = [
        migrations.AddField(
            model_name='source',
            name='doi_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='source',
            name='url_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=500),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
