from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pulso.accounts"
    label = "accounts"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from pulso.accounts.grants import membership_grants
        from pulso.core import access

        access.register_grant_provider(membership_grants)
