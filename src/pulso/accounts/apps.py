from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pulso.accounts"
    label = "accounts"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from pulso.accounts import signals  # noqa: F401  (connects the audit receivers)
        from pulso.accounts.grants import membership_grants
        from pulso.accounts.models import Role
        from pulso.core import access

        access.register_grant_provider(membership_grants)
        unknown = set(settings.PULSO_2FA_REQUIRED_ROLES) - set(Role.values)
        if unknown:
            raise ImproperlyConfigured(
                f"PULSO_2FA_REQUIRED_ROLES: unknown roles {', '.join(sorted(unknown))}; "
                f"roles are {', '.join(Role.values)}"
            )
