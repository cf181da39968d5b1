"""Data scoping: what part of the organisation a user may see, in one place.

Every list, dashboard, export and API endpoint of feedback data goes through
``.visible_to(user)`` on a queryset built from :class:`ScopedQuerySet`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q

AnyUser = AbstractBaseUser | AnonymousUser

GLOBAL_ROLES = frozenset({"admin", "cx_analyst"})


def sees_everything(user: AnyUser) -> bool:
    """Superusers and people with a global role at the company root see all units."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return user.memberships.filter(  # type: ignore[union-attr,attr-defined]
        role__in=GLOBAL_ROLES, unit__parent__isnull=True
    ).exists()


def visible_paths(user: AnyUser) -> list[str] | None:
    """Path prefixes of the subtrees the user sees; ``None`` means everything."""
    if sees_everything(user):
        return None
    if not user.is_authenticated:
        return []
    return list(user.memberships.values_list("unit__path", flat=True))  # type: ignore[union-attr,attr-defined]


def _path_filter(lookup: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


class ScopedQuerySet(models.QuerySet[Any]):
    """A queryset of data attached to an org unit through ``unit_lookup``."""

    unit_lookup: ClassVar[str] = "org_unit__path"
    # Rows with no org unit (e.g. an online review not yet attributed) are company-wide.
    unscoped_visible_to_global_only: ClassVar[bool] = True

    def visible_to(self, user: AnyUser) -> Self:
        paths = visible_paths(user)
        if paths is None:
            return self
        return self.filter(_path_filter(self.unit_lookup, paths))


class OrgUnitQuerySet(ScopedQuerySet):
    unit_lookup = "path"
