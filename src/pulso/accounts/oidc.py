"""Single sign-on with OpenID Connect (mozilla-django-oidc): people are created at their first
login and their memberships follow the identity provider's claims (``SsoRule``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from pulso.accounts.actions import do_create_sso_user, do_link_sso_identity, do_sync_sso_memberships
from pulso.core.access import AnyUser, person

BACKEND_PATH = "pulso.accounts.oidc.OidcBackend"


class OidcBackend(OIDCAuthenticationBackend):
    """People are found by the provider's subject (``sub``), never by a name they could pick."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not settings.PULSO_OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        """The library checks the signature, expiry and nonce; the audience and (when
        ``PULSO_OIDC_ISSUER`` is set) the issuer are checked here."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued for another client.")
        issuer = settings.PULSO_OIDC_ISSUER.rstrip("/")
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("The ID token was issued by another provider.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        # Some providers put groups only in the ID token, others only in the userinfo answer.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        users = get_user_model().objects.filter(sso_identity__subject=str(claims["sub"]))
        email = claims.get("email")
        if users.exists() or not (settings.PULSO_OIDC_LINK_BY_EMAIL and email):
            return users
        return get_user_model().objects.filter(email__iexact=email, sso_identity__isnull=True)

    def create_user(self, claims: dict[str, Any]) -> Any:
        return do_create_sso_user(claims)

    def update_user(self, user: AnyUser, claims: dict[str, Any]) -> Any:
        if not hasattr(user, "sso_identity"):
            return do_link_sso_identity(person(user), claims)
        return do_sync_sso_memberships(person(user), claims)


class _OnlyWhenEnabled:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.PULSO_OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AuthenticateView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider."""


class CallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """Where the identity provider sends the browser back."""

    def login_failure(self) -> HttpResponseBase:
        messages.error(
            self.request,
            _("Single sign-on did not log you in. If it keeps failing, ask an administrator."),
        )
        return super().login_failure()  # type: ignore[no-any-return]
