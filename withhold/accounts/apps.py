from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "withhold.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
