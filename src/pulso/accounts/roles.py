"""Role checks used by views; the full permission matrix builds on these."""

from __future__ import annotations

from typing import Any

from pulso.accounts.models import Role

JOURNEY_EDITORS = frozenset({Role.ADMIN, Role.CX_ANALYST})


def has_any_role(user: Any, roles: frozenset[str]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(user.memberships.filter(role__in=roles).exists())


def can_edit_journeys(user: Any) -> bool:
    return has_any_role(user, JOURNEY_EDITORS)
