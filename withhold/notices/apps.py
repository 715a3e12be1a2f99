from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "withhold.notices"
    label = "notices"
    verbose_name = "Notices"
