"""State changes of people and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from pulso.accounts.models import ApiToken, Membership, OrgUnit
from pulso.core.audit import record_event


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def do_create_api_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is shown only once."""
    raw = "pulso_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(raw), prefix=raw[6:14]
    )
    record_event("api_token.created", token, user)
    return token, raw


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
