"""Single sign-on: which units and roles an identity provider's claims give (``SsoRule`` rows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulso.accounts.models import Role, SsoRule

# When several rules give one unit, the role that allows the most wins.
ROLE_STRENGTH = [Role.ADMIN, Role.CX_ANALYST, Role.UNIT_MANAGER, Role.AGENT, Role.VIEWER]


def roles_from_claims(claims: Mapping[str, Any]) -> dict[int, str]:
    """Unit id → role for everyone whose claims match the rules."""
    granted: dict[int, str] = {}
    for rule in SsoRule.objects.all():
        if not rule.matches(dict(claims)):
            continue
        current = granted.get(rule.unit_id)
        if current is None or ROLE_STRENGTH.index(Role(rule.role)) < ROLE_STRENGTH.index(
            Role(current)
        ):
            granted[rule.unit_id] = rule.role
    return granted


def username_from_claims(claims: Mapping[str, Any]) -> str:
    """A readable user name: preferred_username, else the email's local part, else the subject."""
    email = str(claims.get("email") or "")
    base = str(claims.get("preferred_username") or email.split("@")[0] or claims["sub"])
    return base[:140]
