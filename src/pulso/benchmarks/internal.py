"""Internal benchmark: units, channels, touchpoints or interaction types against each other.

Each cut shows its figure with the 95 % interval and its gap from the figure of the whole
scope (the company, for a person who sees all of it; their own units otherwise), and is tested
against the rest of the scope, never against a total that includes it. Units of one kind are
rolled up through the tree, like the league table; they do not overlap one another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.benchmarks.comparisons import Comparison, compare, ranked
from pulso.benchmarks.interactions import channel_label, totals_by_touchpoint, type_label
from pulso.core.access import AnyUser
from pulso.journeys.models import Touchpoint
from pulso.metrics import queries
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import Totals

DIMENSIONS = {
    "unit": _("Org units"),
    "channel": _("Channels"),
    "touchpoint": _("Touchpoints"),
    "interaction_type": _("Interaction types"),
}


def benchmark(
    f: MetricFilter,
    user: AnyUser,
    dimension: str,
    metric: str = "nps",
    kind: str = OrgUnit.Kind.STORE,
) -> list[Comparison]:
    """The cuts of ``dimension`` in the person's scope, best first."""
    if dimension == "unit":
        cuts, scope = _units(f, user, kind)
    else:
        cuts, scope = _by_touchpoint(f, user, _KEYS[dimension])
    rows = [compare(metric, key, label, totals, scope) for key, (label, totals) in cuts.items()]
    return ranked(rows)


Cuts = dict[Any, tuple[str, Totals]]


def _units(f: MetricFilter, user: AnyUser, kind: str) -> tuple[Cuts, Totals]:
    units = OrgUnit.objects.visible_to(user).filter(kind=kind, is_active=True)
    rows = queries.totals_by(f, user, ("org_unit_id",))
    paths = dict(
        OrgUnit.objects.filter(pk__in=[k[0] for k in rows if k[0]]).values_list("pk", "path")
    )
    cuts: Cuts = {}
    for unit in units.order_by("path"):
        totals = Totals.sum(
            t for (pk,), t in rows.items() if pk and paths.get(pk, "").startswith(unit.path)
        )
        if totals.n:
            cuts[unit.code] = (unit.name, totals)
    return cuts, Totals.sum(rows.values())


def _by_touchpoint(
    f: MetricFilter, user: AnyUser, key: Callable[[Touchpoint], tuple[Any, str]]
) -> tuple[Cuts, Totals]:
    labels: dict[Any, str] = {}
    sums: dict[Any, Totals] = defaultdict(Totals)
    for touchpoint, totals in totals_by_touchpoint(f, user).items():
        value, label = key(touchpoint)
        labels[value] = label
        sums[value] = sums[value] + totals
    return {k: (labels[k], t) for k, t in sums.items()}, Totals.sum(sums.values())


_KEYS: dict[str, Callable[[Touchpoint], tuple[Any, str]]] = {
    "channel": lambda tp: (tp.channel, channel_label(tp.channel)),
    "touchpoint": lambda tp: (tp.pk, tp.name),
    "interaction_type": lambda tp: (tp.interaction_type, type_label(tp.interaction_type)),
}
