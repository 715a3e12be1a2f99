from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from withhold.accounts.models import ApiToken, User
from withhold.core.exceptions import ApplicationError
from withhold.operations.tokens import api_token_issue


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print its key once (only a hash is kept). "
        "Read-only unless --scope write."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--days", type=int, help="Days until it expires (default: setting).")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument("--by", help="Username of the administrator issuing it (audited).")

    def handle(self, *args, username, scope, days, name, by, **options):
        try:
            user = User.objects.get(username=username)
            actor = User.objects.get(username=by) if by else None
        except User.DoesNotExist as exc:
            raise CommandError(
                f"No such user: {by if by and username != by else username}"
            ) from exc
        try:
            token, key = api_token_issue(user=user, actor=actor, scope=scope, name=name, days=days)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.key_prefix}… for {user.username}: {token.get_scope_display().lower()}, "
            f"expires {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M %Z}. The key above is shown "
            "only now."
        )
