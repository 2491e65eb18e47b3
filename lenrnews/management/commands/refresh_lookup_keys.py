"""Rebuild the stored keys of names, aliases, addresses and DOIs (``lenrnews.names``).

Saves keep them current; rows written without a save (``bulk_create``, ``update()``, SQL)
or a change to how keys are made need this. It is safe to run at any time.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from lenrnews.cache import bump_generation
from lenrnews.names import refresh_lookup_keys


class Command(BaseCommand):
    help = "Rebuild the keys exact lookups and duplicate guards read (names and aliases, source addresses and DOIs)."

    def handle(self, *args, **options):
        with transaction.atomic():
            written = refresh_lookup_keys()
        bump_generation()
        self.stdout.write(f"{written} key(s) written.")
