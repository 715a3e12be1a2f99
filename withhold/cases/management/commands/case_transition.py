from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from withhold.cases import services
from withhold.cases.models import Case
from withhold.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Move a case to another phase or status, as a named user, under the same rules as the pages."

    def add_arguments(self, parser):
        parser.add_argument("number", help="Case number, e.g. FL-2026-0042")
        parser.add_argument("--as", dest="username", required=True, help="Acting user's username.")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--to-phase", choices=Case.Phase.values)
        target.add_argument("--to-status", choices=Case.Status.values)
        parser.add_argument("--reason-code", default="")
        parser.add_argument("--reason", default="")

    def handle(self, *args, number, username, to_phase, to_status, reason_code, reason, **opts):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user “{username}”.")
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise CommandError(f"No case {number}.")
        try:
            if to_phase:
                case = services.case_phase_change(
                    case=case, to_phase=to_phase, actor=user, reason=reason
                )
            else:
                case = services.case_status_change(
                    case=case,
                    to_status=to_status,
                    actor=user,
                    reason_code=reason_code,
                    reason=reason,
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"{case.number}: {case.get_phase_display()}, {case.get_status_display()}."
        )
