"""Create (or show, or replace) the API token of an account."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Print the API token of a user, creating it if needed. Send it as 'Authorization: Token <key>'. "
        "Tokens can also be managed in the admin (Auth Token > Tokens)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Replace the existing token with a new one.")

    def handle(self, *args, username, reset, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"The account {username!r} is inactive: a token would not work.")
        with transaction.atomic():
            if reset:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
        if created and not reset:
            self.stderr.write(f"Created a token for {username}.")
        elif reset:
            self.stderr.write(f"Replaced the token of {username}.")
        self.stdout.write(token.key)
