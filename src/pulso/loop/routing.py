"""Where cases go and who owns them, read once per batch of rule applications.

Applying the rules to a task's records asks the same questions again and again (which unit
above this store handles cases, who is its first handler, which unit is the root); a
:class:`Routing` answers each once. Memberships do not change within one batch in any way
that matters: a person added a second later gets the next batch's cases.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from pulso.accounts.models import OrgUnit
from pulso.loop import actions

_UNREAD = object()


class Routing:
    """Memoised :func:`~pulso.loop.actions.handling_unit`, :func:`~pulso.loop.actions.default_owner`
    and the root unit. A fresh instance reads everything anew."""

    def __init__(self) -> None:
        self._handling: dict[int, OrgUnit | None] = {}
        self._owners: dict[int, User | None] = {}
        self._root: object = _UNREAD

    def handling_unit(self, unit: OrgUnit | None) -> OrgUnit | None:
        if unit is None:
            return None
        if unit.pk not in self._handling:
            self._handling[unit.pk] = actions.handling_unit(unit)
        return self._handling[unit.pk]

    def default_owner(self, unit: OrgUnit) -> User | None:
        if unit.pk not in self._owners:
            self._owners[unit.pk] = actions.default_owner(unit)
        return self._owners[unit.pk]

    def root(self) -> OrgUnit | None:
        if self._root is _UNREAD:
            self._root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
        return self._root  # type: ignore[return-value]
