"""Second factor (django-otp, TOTP): who must have one, and the middleware that asks for it.

A person with a confirmed authenticator is asked for a code after their password; one who must
have a second factor (``PULSO_2FA_REQUIRED_FOR_STAFF``, ``PULSO_2FA_REQUIRED_ROLES``) and has
none is sent to set one up before anything else. Single sign-on logins are not asked: the identity
provider applies its own second-factor policy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import device_classes
from django_otp.models import Device

from pulso.accounts.oidc import BACKEND_PATH as SSO_BACKEND
from pulso.core.access import AnyUser

# Paths a person between password and code may still open.
_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/s/", "/healthz")


@functools.cache
def _device_models() -> tuple[type[Device], ...]:
    """The installed kinds of authenticator (django-otp finds them by scanning every model)."""
    return tuple(device_classes())


# The session key holding the id of a signed-in person found without an authenticator.
NO_DEVICE_KEY = "pulso_no_second_factor"


def has_second_factor(user: AnyUser) -> bool:
    """Whether the person has a confirmed authenticator: one EXISTS per kind of authenticator,
    no model scan (asked at sign-in, and on requests of a session not known to have none)."""
    if not user.is_authenticated:
        return False
    return any(
        model.objects.devices_for_user(user, confirmed=True).exists() for model in _device_models()
    )


def second_factor_required(user: User) -> bool:
    """Staff and the listed roles must use a second factor when the settings say so."""
    if settings.PULSO_2FA_REQUIRED_FOR_STAFF and (user.is_staff or user.is_superuser):
        return True
    roles = settings.PULSO_2FA_REQUIRED_ROLES
    return bool(roles) and user.memberships.filter(role__in=roles).exists()


def remember_missing_authenticator(request: HttpRequest | None, user: AnyUser) -> None:
    """At sign-in, note in the session a person without an authenticator, so that their
    requests do not look for one again (a GET then writes nothing, not even its session)."""
    if request is not None and hasattr(request, "session") and not has_second_factor(user):
        request.session[NO_DEVICE_KEY] = user.pk


def _pending_step(request: HttpRequest) -> str | None:
    """The page this person must go through first, if any."""
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]
        return None
    if request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND:
        return None
    # Known since the sign-in (no query, nothing written); a device added later elsewhere is
    # asked for at the next sign-in.
    if request.session.get(NO_DEVICE_KEY) != user.pk and has_second_factor(user):
        return "two_factor_verify"
    if second_factor_required(user):
        return "two_factor"
    return None


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        step = _pending_step(request)
        if step is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            detail = _("Second factor required: enter your code in Pulso first.")
            return JsonResponse({"detail": detail, "errors": {}}, status=403)  # the API's Problem
        return _redirect_to(step, request.get_full_path())


def _redirect_to(step: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
