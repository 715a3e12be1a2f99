from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from .roles import sync_role_groups

    sync_role_groups()


class AccountsConfig(AppConfig):
    name = "withhold.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="withhold_sync_roles")
