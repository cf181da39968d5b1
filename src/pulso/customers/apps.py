from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "pulso.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from pulso.customers.history import ACTIONS, register_history_source

        register_history_source(ACTIONS)
