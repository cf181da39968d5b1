"""Memberships as grants of the access policy (``pulso.core.access``)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from pulso.core.access import Grant


def membership_grants(user: AbstractBaseUser) -> list[Grant]:
    """One grant per membership: the role, on the unit's subtree."""
    rows = user.memberships.values_list("role", "unit__path")  # type: ignore[attr-defined]
    return [Grant(role, path) for role, path in rows]
