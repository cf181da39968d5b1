"""Pages of one's own account: logging in, the second factor (set up, verify, switch off), API
tokens (create, shown once; revoke)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.util import random_hex

from pulso.accounts import actions
from pulso.accounts.forms import ApiTokenForm, LoginForm, TokenForm
from pulso.accounts.models import ApiToken
from pulso.accounts.twofactor import second_factor_required
from pulso.core.access import person


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            sso_enabled=settings.PULSO_OIDC_ENABLED,
            sso_provider=settings.PULSO_OIDC_PROVIDER_NAME,
            password_login=settings.PULSO_PASSWORD_LOGIN,
            **kwargs,
        )


_SETUP_KEY = "pulso_totp_setup_key"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@login_required
def two_factor(request: HttpRequest) -> HttpResponseBase:
    """The person's second factor: set one up (scan, confirm with a code) or see that it is on."""
    confirmed = actions.confirmed_device(request.user)
    if confirmed is not None and not _verified(request):
        return redirect("two_factor_verify")
    if confirmed is not None:
        context: dict[str, Any] = {
            "device": confirmed,
            "required": second_factor_required(person(request.user)),
        }
        return render(request, "accounts/two_factor.html", context)
    key = request.session.setdefault(_SETUP_KEY, random_hex())
    device = actions.pending_totp_device(request.user, key)
    if request.method == "POST":
        device = actions.do_try_totp_setup(request.user, key)
    form = TokenForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_confirm_totp_device(request, device)
        del request.session[_SETUP_KEY]
        messages.success(request, _("Second factor switched on."))
        return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    context = {
        "form": form,
        "qr_svg": qr,
        "secret": b32encode(device.bin_key).decode(),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponseBase:
    """The code asked after the password of a person who has an authenticator."""
    device = actions.confirmed_device(request.user)
    if device is None:
        return redirect("two_factor")
    form = TokenForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_verify_second_factor(request, device)
        return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@require_POST
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if not _verified(request):
        return redirect("two_factor_verify")  # a password alone never switches it off
    if second_factor_required(person(request.user)):
        messages.error(request, _("Your role requires a second factor; it cannot be switched off."))
    else:
        actions.do_remove_second_factor(person(request.user))
        messages.success(request, _("Second factor switched off."))
    return redirect("two_factor")


def _own_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    owner = request.user.pk
    assert owner is not None  # the views below require a login
    return ApiToken.objects.filter(user__pk=owner)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """One's own API tokens: listed with their last use; a new one is shown once, here."""
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _token, created = actions.do_create_api_token(
            person(request.user),
            form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            expires_at=form.expires_at(),
        )
        form = ApiTokenForm()
    tokens = _own_tokens(request)
    context = {"form": form, "tokens": tokens, "created": created, "now": timezone.now()}
    status = 422 if request.method == "POST" and created is None else 200
    return render(request, "accounts/api_tokens.html", context, status=status)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(_own_tokens(request), pk=pk)
    actions.do_revoke_api_token(token, actor=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens")
