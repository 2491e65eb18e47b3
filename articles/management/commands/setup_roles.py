from django.core.management.base import BaseCommand

from articles.roles import ROLES, setup_roles


class Command(BaseCommand):
    help = "Create or update the Writer and Editor groups and their permissions (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        changed = setup_roles(using=database)
        for name in ROLES:
            state = "updated" if name in changed else "unchanged"
            self.stdout.write(f"{name}: {state}")
