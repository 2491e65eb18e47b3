"""The stored keys of entity names (exact lookups, duplicate guards) and old slugs (301 redirects)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('lenrnews', '0002_stored_search_vectors'),
    ]

    operations = [
        migrations.CreateModel(
            name='EntityName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('key', models.CharField(help_text='The name without case, accents, punctuation or spaces.', max_length=200)),
                ('is_alias', models.BooleanField(default=False)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'indexes': [models.Index(fields=['content_type', 'key'], name='entity_name_key'), models.Index(fields=['content_type', 'object_id'], name='entity_name_object')],
            },
        ),
        migrations.CreateModel(
            name='SlugHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('old_slug', models.CharField(max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'old address',
                'verbose_name_plural': 'old addresses',
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='slug_history_object')],
                'constraints': [models.UniqueConstraint(fields=('content_type', 'old_slug'), name='one_owner_per_old_slug')],
            },
        ),
    ]
