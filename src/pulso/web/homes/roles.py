"""Which home sections a person gets, read from the roles they hold (their memberships)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pulso.accounts.models import OrgUnit, Role
from pulso.core.access import AnyUser, grants_of


@dataclass
class HomeRoles:
    """The sections to show, and the units each role-led section is about."""

    company: bool = False
    health: bool = False
    managed: list[OrgUnit] = field(default_factory=list)
    agent_paths: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return self.company or self.health or bool(self.managed or self.agent_paths)


def _is_root(path: str) -> bool:
    return path.count("/") == 2


def home_roles(user: AnyUser) -> HomeRoles:
    """Sections for each role held: the CX lead's at the root, a manager's per unit, and so on."""
    roles = HomeRoles()
    if not user.is_authenticated:
        return roles
    grants = grants_of(user)
    leads = {Role.ADMIN, Role.CX_ANALYST}
    superuser = bool(getattr(user, "is_superuser", False))
    roles.company = superuser or any(g.role in leads and _is_root(g.path) for g in grants)
    roles.health = superuser or any(g.role in leads for g in grants)
    managed = sorted({g.path for g in grants if g.role == Role.UNIT_MANAGER})
    roles.managed = list(OrgUnit.objects.filter(path__in=managed).order_by("path"))
    roles.agent_paths = sorted({g.path for g in grants if g.role == Role.AGENT})
    return roles
