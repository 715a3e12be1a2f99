from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "withhold.orders"
    label = "orders"
    verbose_name = "Enforcement orders"
