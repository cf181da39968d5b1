"""Authentication for the REST API: bearer tokens, or the browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from pulso.accounts.actions import token_digest
from pulso.accounts.models import ApiToken

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), user__is_active=True)
            .first()
        )
        now = timezone.now()
        if found is None or not found.is_usable(now):
            return None
        if found.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, _("This API token is read-only."))
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


api_auth = [BearerTokenAuth(), SessionAuth()]
