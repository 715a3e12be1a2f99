from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "withhold.intake"
    label = "intake"
    verbose_name = "Allegation intake"

    def ready(self) -> None:
        from withhold.cases.signals import case_status_changed

        from .notices import notify_submitters_case_closed

        case_status_changed.connect(
            notify_submitters_case_closed, dispatch_uid="intake-submitters-case-closed"
        )
