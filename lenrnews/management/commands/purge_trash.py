"""Deletes for good what has been in the trash longer than the grace period (30 days)."""

import datetime

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lenrnews.models import TrashableModel

TRASH_DAYS = 30


class Command(BaseCommand):
    help = "Delete for good the articles and deals moved to the trash more than --days days ago (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=TRASH_DAYS, help="How long the trash keeps a record.")

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        for model in apps.get_models():
            if not issubclass(model, TrashableModel) or model._meta.proxy:
                continue
            with transaction.atomic():
                expired = model.all_objects.filter(deleted_at__lt=cutoff)
                count = expired.count()
                expired.delete()
            self.stdout.write(f"{model._meta.verbose_name_plural}: {count} purged from the trash.")
