"""Login throttling (django-axes): failed logins counted per account and per address."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses any login, even with the right password, while the account or address is locked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            # Logins without a request (scripts, the test client) never come from the web.
            return None
        super().authenticate(request, username, password, **kwargs)
        return None
