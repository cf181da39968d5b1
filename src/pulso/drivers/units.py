"""Key drivers per org unit: each unit below the chosen one, analysed on its own responses
where its base allows (at least the low-base threshold), else only marked "low base"."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.drivers.analysis import DriverMatrix, DriverResult, analyse
from pulso.metrics.filters import MetricFilter

TOP = 3  # drivers shown per unit


@dataclass(frozen=True)
class UnitDrivers:
    unit: OrgUnit
    n: int
    low_base: bool
    top: list[DriverResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit.code,
            "name": self.unit.name,
            "n": self.n,
            "low_base": self.low_base,
            "drivers": [r.as_dict() for r in self.top],
        }


def child_units(f: MetricFilter, user: AnyUser) -> list[OrgUnit]:
    """The units just below the filter's unit (or the company), that the person may see."""
    parent = f.unit or OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if parent is None:
        return []
    return list(OrgUnit.objects.visible_to(user).filter(parent=parent).order_by("name"))


def by_unit(matrix: DriverMatrix, units: list[OrgUnit], low_base: int) -> list[UnitDrivers]:
    """The top drivers of each unit's subtree (units without responses are left out)."""
    if matrix.units is None or not units:
        return []
    present = [int(pk) for pk in np.unique(matrix.units) if pk]
    paths = dict(OrgUnit.objects.filter(pk__in=present).values_list("pk", "path"))
    found = []
    for unit in units:
        inside = [pk for pk, path in paths.items() if path.startswith(unit.path)]
        mask = np.isin(matrix.units, inside)
        n = int(mask.sum())
        if not n:
            continue
        result = analyse(matrix.rows(mask), low_base) if n >= low_base else None
        top = result.ranked()[:TOP] if result is not None else []
        found.append(UnitDrivers(unit, n, n < low_base, top))
    return found
