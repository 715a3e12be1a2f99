from django.apps import AppConfig


class WorkdayConfig(AppConfig):
    name = "withhold.workday"
    label = "workday"
    verbose_name = "Working day"
