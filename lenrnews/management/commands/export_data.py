"""Write the whole database to a JSON file that ``import_data`` restores (README "Backup and restore")."""

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand

from lenrnews import backup


class Command(BaseCommand):
    help = (
        "Export every table (content, revision history, accounts, groups, API tokens, the admin's and the login "
        "log) as JSON, for import_data. Rows keep their ids; references to content types, permissions, groups and "
        "users are written as natural keys. A name ending in .gz, .bz2, .xz or .lzma is compressed. Left out: "
        + "; ".join(f"{label} ({why})" for label, why in backup.EXCLUDED.items())
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, or '-' for standard output.")

    def handle(self, *args, path, **options):
        serializers.register_serializer(backup.FORMAT, "lenrnews.backup")
        to_stdout = path == "-"
        call_command(
            "dumpdata",
            format=backup.FORMAT,
            exclude=list(backup.EXCLUDED),
            use_natural_foreign_keys=True,
            use_base_manager=True,  # every row, whatever a default manager would filter
            output=None if to_stdout else path,
            stdout=self.stdout,
            verbosity=0 if to_stdout else options["verbosity"],
        )
        if not to_stdout:
            self.stderr.write(f"Wrote {path}.")
