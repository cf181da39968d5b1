"""State changes of people and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pulso.accounts.models import ApiToken, Membership, OrgUnit, SsoIdentity
from pulso.accounts.sso import roles_from_claims, username_from_claims
from pulso.core.access import AnyUser
from pulso.core.audit import record_event


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def do_create_api_token(
    user: User, name: str, *, read_only: bool = False, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` (carrying exactly their access; read-only if asked) and
    return it with its raw value, which is shown only once: only its digest is stored."""
    raw = "pulso_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=token_digest(raw),
        prefix=raw[6:14],
        read_only=read_only,
        expires_at=expires_at,
    )
    record_event("api_token.created", token, user, read_only=read_only)
    return token, raw


def do_revoke_api_token(token: ApiToken, actor: AnyUser | None = None) -> ApiToken:
    """Revoke a token at once (kept, listed as revoked, for the audit trail)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event("api_token.revoked", token, actor)
    return token


@transaction.atomic
def do_create_admin(username: str, email: str, password: str) -> Any:
    """Create (or reset the password of) a superuser attached to the root unit as admin."""
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username, defaults={"email": email})
    user.email = email or user.email
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is not None:
        Membership.objects.get_or_create(user=user, unit=root, defaults={"role": "admin"})
    record_event("admin.created", user)
    return user


def _free_username(base: str) -> str:
    user_model = get_user_model()
    candidate, n = base, 1
    while user_model.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def do_create_sso_user(claims: Mapping[str, Any]) -> Any:
    """A person seen for the first time through single sign-on: no local password."""
    user = get_user_model().objects.create_user(
        _free_username(username_from_claims(claims)),
        email=str(claims.get("email") or ""),
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )  # no password given: an unusable one
    SsoIdentity.objects.create(user=user, subject=str(claims["sub"]))
    record_event("sso.user_created", user, user, subject=str(claims["sub"]))
    do_sync_sso_memberships(user, claims)
    return user


@transaction.atomic
def do_link_sso_identity(user: User, claims: Mapping[str, Any]) -> Any:
    """Attach an existing person (found by email) to their identity-provider subject."""
    SsoIdentity.objects.create(user=user, subject=str(claims["sub"]))
    record_event("sso.identity_linked", user, user, subject=str(claims["sub"]))
    return do_sync_sso_memberships(user, claims)


@transaction.atomic
def do_sync_sso_memberships(user: User, claims: Mapping[str, Any]) -> Any:
    """Rewrite the person's single sign-on memberships from the claims of this login; memberships
    an admin added by hand are kept as they are."""
    wanted = roles_from_claims(claims)
    current = {m.unit_id: m for m in Membership.objects.filter(user=user)}
    removed = [m.pk for unit, m in current.items() if m.from_sso and unit not in wanted]
    Membership.objects.filter(pk__in=removed).delete()
    changes: dict[str, str] = {}
    for unit_id, role in wanted.items():
        held = current.get(unit_id)
        if held is None:
            Membership.objects.create(user=user, unit_id=unit_id, role=role, from_sso=True)
        elif held.from_sso and held.role != role:
            held.role = role
            held.save(update_fields=["role"])
        else:
            continue
        changes[str(unit_id)] = role
    if changes or removed:
        record_event("sso.memberships_synced", user, user, granted=changes, removed=removed)
    SsoIdentity.objects.filter(user=user).update(last_login_at=timezone.now())
    return user


@transaction.atomic
def do_unlock_login(username: str, actor: AnyUser | None = None, address: str | None = None) -> int:
    """Lift the lockout of an account (and of an address, if given) after repeated failed
    logins; returns the failed attempts cleared."""
    cleared = axes_reset(username=username)
    if address:
        cleared += axes_reset(ip=address)
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        record_event("login.unlocked", user, actor, attempts=cleared, address=address or "")
    return cleared


def confirmed_device(user: AnyUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(user: AnyUser, key: str) -> TOTPDevice:
    """The authenticator being set up, not saved: its key lives in the session until confirmed."""
    return TOTPDevice(user=user, key=key, name="Pulso", confirmed=False)


@transaction.atomic
def do_try_totp_setup(user: AnyUser, key: str) -> TOTPDevice:
    """The one unconfirmed device of a person trying a code (failed tries are throttled on it)."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, confirmed=False, defaults={"key": key, "name": "Pulso"}
    )
    return device


@transaction.atomic
def do_confirm_totp_device(request: HttpRequest, device: TOTPDevice) -> None:
    """The first right code switches the second factor on and verifies this session."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record_event("two_factor.enabled", device.user, request.user)


def do_verify_second_factor(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    record_event("two_factor.verified", device.user, request.user)


@transaction.atomic
def do_remove_second_factor(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    record_event("two_factor.disabled", user, user)
