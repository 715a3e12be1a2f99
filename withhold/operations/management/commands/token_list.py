from django.core.management.base import BaseCommand
from django.utils import timezone

from withhold.accounts.models import ApiToken


class Command(BaseCommand):
    help = "List API tokens (key prefix, user, scope, expiry, state); keys cannot be shown."

    def handle(self, *args, **options):
        now = timezone.now()
        for token in ApiToken.objects.select_related("user"):
            if token.revoked_at:
                state = f"revoked {timezone.localdate(token.revoked_at):%Y-%m-%d}"
            elif token.expires_at <= now:
                state = "expired"
            else:
                state = "live"
            self.stdout.write(
                f"{token.key_prefix}  {token.user.username:<24} {token.scope:<5} "
                f"expires {timezone.localdate(token.expires_at):%Y-%m-%d}  {state}  {token.name}"
            )
