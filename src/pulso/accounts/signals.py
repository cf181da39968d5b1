"""Audit entries for logins, failed logins, logouts and changes to who holds which role; at
sign-in, whether the person has an authenticator is noted in the session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from pulso.accounts.models import Membership
from pulso.accounts.twofactor import remember_missing_authenticator
from pulso.core.audit import record_action, record_event


def _address(request: HttpRequest | None) -> str:
    return str(request.META.get("REMOTE_ADDR", "")) if request is not None else ""


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_event("login", user, user, address=_address(request))
    remember_missing_authenticator(request, user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event("logout", user, user, address=_address(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    record_action(
        "login.failed", None, object_type="auth.user", object_repr=username,
        address=_address(request),
    )  # fmt: skip


@receiver(post_save, sender=Membership, dispatch_uid="audit_membership_saved")
def _membership_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    verb = "membership.granted" if created else "membership.changed"
    record_event(verb, instance, None, user=instance.user_id, unit=instance.unit_id,
                 role=instance.role, sso=instance.from_sso)  # fmt: skip


@receiver(post_delete, sender=Membership, dispatch_uid="audit_membership_removed")
def _membership_removed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    record_event("membership.removed", instance, None, user=instance.user_id,
                 unit=instance.unit_id, role=instance.role)  # fmt: skip
