"""Restore a file written by ``export_data`` into an empty, migrated database."""

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from lenrnews import sync
from lenrnews.backup import EXCLUDED
from lenrnews.cache import bump_generation
from lenrnews.planner import refresh_statistics

# Made by migrate (or the roles' data migration): a fresh database has them, and the backup
# brings its own.
MIGRATE_MADE = {"contenttypes.ContentType", "auth.Permission", "auth.Group"}


def rows_present():
    """How many rows each model already holds, for the models a backup fills (and migrate doesn't)."""
    present = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.proxy or label in EXCLUDED or label in MIGRATE_MADE:
            continue
        count = model._base_manager.count()
        if count:
            present[label] = count
    return present


class Command(BaseCommand):
    help = (
        "Load a backup written by export_data into an empty database (create it and run `manage.py migrate` "
        "first). Refuses a database that already holds data. The groups that migrate made are replaced by the "
        "backup's."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file export_data wrote (compressed or not), or '-' for standard input.")

    def handle(self, *args, path, **options):
        present = rows_present()
        if present:
            listed = ", ".join(f"{count} {label}" for label, count in sorted(present.items())[:5])
            raise CommandError(
                f"The database already holds data ({listed}...). import_data restores into an empty database: "
                "create a new one and run `manage.py migrate` first."
            )
        # The backup brings the history as it was: loading the rows, and the many-to-many
        # links in particular (which send no "raw" flag), must not write revisions of their own,
        # nor mark the rows changed (updated_at) or record deletions.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False), sync.paused():
            # The backup has the groups, with its own ids and permissions.
            Group.objects.all().delete()
            call_command(
                "loaddata",
                path,
                format="json" if path == "-" else None,
                stdout=self.stdout,
                verbosity=options["verbosity"],
            )
        bump_generation()
        refresh_statistics()
