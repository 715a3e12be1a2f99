from django.core.management.base import BaseCommand, CommandError

from withhold.accounts.models import ApiToken, User
from withhold.core.exceptions import ApplicationError
from withhold.operations.tokens import api_token_revoke


class Command(BaseCommand):
    help = "Revoke API tokens: one by its key prefix (see token-list), or every token of a user."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--prefix", help="The token's first eight characters.")
        target.add_argument("--user", help="Revoke every live token of this user.")
        parser.add_argument("--by", help="Username of the administrator revoking (audited).")

    def handle(self, *args, prefix, user, by, **options):
        actor = User.objects.filter(username=by).first() if by else None
        if by and actor is None:
            raise CommandError(f"No such user: {by}")
        live = ApiToken.objects.filter(revoked_at__isnull=True)
        tokens = list(
            live.filter(key_prefix=prefix) if prefix else live.filter(user__username=user)
        )
        if not tokens:
            raise CommandError("No live token matches.")
        if prefix and len(tokens) > 1:
            raise CommandError(f"{len(tokens)} tokens start with {prefix}; revoke by --user.")
        for token in tokens:
            try:
                api_token_revoke(token=token, actor=actor)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Revoked {token}")
