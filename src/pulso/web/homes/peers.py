"""Peer benchmark: a manager's unit against its sibling units of the same kind, with margins.

Peers are the units with the same parent and of the same kind, so a store is compared with the
stores of its own region and never sees another region's figures. Peers' figures are read as a
viewer of the parent unit would read them; ``PULSO_PEER_NAMES`` decides whether their names are
shown or replaced by "Tienda A", "Tienda B"… (letters in rank order, so they reveal nothing).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from pulso.accounts.models import OrgUnit, Role
from pulso.core.access import AnyUser, Grant
from pulso.metrics import dashboards, queries
from pulso.metrics.dashboards import Cut
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import Totals

MIN_PEERS = 1


@dataclass
class Benchmark:
    unit: OrgUnit
    rows: list[Cut]  # best NPS first; the manager's own unit has extra["own"]
    names_shown: bool

    @property
    def own(self) -> Cut | None:
        return next((row for row in self.rows if row.extra.get("own")), None)

    @property
    def has_peers(self) -> bool:
        return len(self.rows) > MIN_PEERS


def peer_names_shown() -> bool:
    return bool(getattr(settings, "PULSO_PEER_NAMES", True))


def peers_of(unit: OrgUnit) -> list[OrgUnit]:
    """The unit and its active siblings of the same kind."""
    if unit.parent_id is None:
        return [unit]
    siblings = OrgUnit.objects.filter(parent_id=unit.parent_id, kind=unit.kind, is_active=True)
    return list(siblings.exclude(pk=unit.pk)) + [unit]


def _parent_reader(parent: OrgUnit) -> AnyUser:
    """An unsaved person holding only the viewer role on ``parent``: reads exactly its subtree."""
    reader = get_user_model()(username="peer-benchmark", is_active=True)
    reader._access_grants = [Grant(Role.VIEWER, parent.path)]  # type: ignore[attr-defined]
    return reader


def peer_benchmark(unit: OrgUnit, start: date, end: date) -> Benchmark:
    """NPS of ``unit`` and its peers over [start, end], best first."""
    units = peers_of(unit)
    rows: list[Cut] = []
    if len(units) > 1 and unit.parent is not None:
        f = MetricFilter(start=start, end=end, unit=unit.parent)
        now = queries.totals_by(f, _parent_reader(unit.parent), ("org_unit_id",))
        paths = dict(
            OrgUnit.objects.filter(path__startswith=unit.parent.path).values_list("pk", "path")
        )
        for peer in units:
            totals = Totals.sum(
                t for (pk,), t in now.items() if paths.get(pk, "").startswith(peer.path)
            )
            rows.append(dashboards.make_cut(peer.name, peer, totals))
    else:
        rows.append(dashboards.make_cut(unit.name, unit, Totals()))
    rows.sort(key=lambda c: (c.nps.value is None, -(c.nps.value or 0)))
    _label(rows, unit, peer_names_shown())
    return Benchmark(unit, rows, peer_names_shown())


def _label(rows: list[Cut], unit: OrgUnit, names_shown: bool) -> None:
    letters = iter(string.ascii_uppercase)
    for rank, row in enumerate(rows, start=1):
        row.extra["rank"] = rank if row.nps.has_data else None
        row.extra["own"] = row.obj.pk == unit.pk
        if not names_shown and not row.extra["own"]:
            letter = next(letters, "?")
            row.label = _("%(kind)s %(letter)s") % {
                "kind": row.obj.get_kind_display(),
                "letter": letter,
            }


def default_span(today: date, days: int = 90) -> tuple[date, date]:
    return today - timedelta(days=days - 1), today
