"""Password logins, which ``PULSO_PASSWORD_LOGIN=false`` switches off for all but superusers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from pulso.core.access import AnyUser


class PasswordBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None and not password_login_allowed(user):
            return None
        return user


def password_login_allowed(user: AnyUser) -> bool:
    """Superusers keep their password when single sign-on is the rule (to fix it if it breaks)."""
    return bool(settings.PULSO_PASSWORD_LOGIN or user.is_superuser)
