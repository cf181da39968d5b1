"""Employee and customer experience per unit: a pulse's eNPS beside the customers' NPS.

Only units whose pulse group the disclosure gate publishes (:mod:`pulso.pulses.results`) take
part: a unit the pulse results hide is never a point here, so its eNPS cannot be read off the
chart. The customers' NPS of each unit (its whole subtree) comes from the dashboard aggregates
over the same period, as the person may see them. Pearson's r across the units, with its 95 %
interval (Fisher's z), says whether units with happier staff have happier customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.lib.stats import MIN_CORRELATION_N, Correlation, pearson_with_interval
from pulso.metrics import metrics, queries
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import Totals
from pulso.pulses.models import Pulse
from pulso.pulses.results import ALL, pulse_results

# The customers' period around a pulse: its answers carry no date (anonymity), so the quarter
# centred on the day it opened stands for "the same time".
HALF_PERIOD_DAYS = 45


@dataclass(frozen=True)
class UnitPoint:
    unit: OrgUnit
    enps: float
    employees: int
    nps: float
    customers: int


@dataclass(frozen=True)
class Comparison:
    pulse: Pulse
    kind: str
    start: date
    end: date
    points: list[UnitPoint]
    correlation: Correlation | None


def default_period(pulse: Pulse, today: date | None = None) -> tuple[date, date]:
    """The 45 days either side of the day the pulse opened, up to today."""
    opened = timezone.localdate(pulse.created_at)
    today = today or timezone.localdate()
    start = opened - timedelta(days=HALF_PERIOD_DAYS)
    return start, max(start, min(opened + timedelta(days=HALF_PERIOD_DAYS), today))


def compare(pulse: Pulse, user: AnyUser, start: date, end: date, kind: str) -> Comparison:
    """The units of ``kind`` with a published pulse group and customers' NPS answers."""
    groups = [
        g
        for g in pulse_results(pulse, user)
        if g.tenure == ALL and not g.suppressed and g.unit.kind == kind
    ]
    rows = queries.totals_by(MetricFilter(start, end), user, ("org_unit_id",))
    paths = dict(
        OrgUnit.objects.filter(pk__in=[k[0] for k in rows if k[0]]).values_list("pk", "path")
    )
    points = []
    for group in groups:
        customers = Totals.sum(
            t for (pk,), t in rows.items() if pk and paths.get(pk, "").startswith(group.unit.path)
        )
        nps = metrics.nps(customers)
        if nps.value is not None and group.enps is not None and group.n:
            points.append(UnitPoint(group.unit, group.enps, group.n, nps.value, nps.n))
    correlation = pearson_with_interval([p.enps for p in points], [p.nps for p in points])
    return Comparison(pulse, kind, start, end, points, correlation)


def units_phrase(n: int, kind: str) -> str:
    if kind == OrgUnit.Kind.STORE:
        return ngettext("%(n)d store", "%(n)d stores", n) % {"n": n}
    return ngettext("%(n)d unit", "%(n)d units", n) % {"n": n}


def reading(comparison: Comparison) -> str:
    """The figures in words ("correlación 0,62, IC 95 % 0,21–0,85, 14 tiendas"), or why
    there are none."""
    n = len(comparison.points)
    found = comparison.correlation
    if n < MIN_CORRELATION_N:
        return _("not enough units (%(units)s; at least %(min)d are needed)") % {
            "units": units_phrase(n, comparison.kind),
            "min": MIN_CORRELATION_N,
        }
    if found is None:
        return _("no correlation: the scores do not vary across %(units)s") % {
            "units": units_phrase(n, comparison.kind)
        }
    return _("correlation %(r)s, 95 %% CI %(low)s–%(high)s, %(units)s") % {
        "r": _two_decimals(found.r),
        "low": _two_decimals(found.low),
        "high": _two_decimals(found.high),
        "units": units_phrase(n, comparison.kind),
    }


def _two_decimals(value: float) -> str:
    # number_format cuts the digits it does not show; round first.
    return number_format(round(value, 2), 2)


def point_row(point: UnitPoint) -> dict[str, Any]:
    """A unit's point as chart data and API output."""
    return {
        "unit_id": point.unit.pk,
        "unit": point.unit.name,
        "enps": round(point.enps, 1),
        "employees": point.employees,
        "nps": round(point.nps, 1),
        "customers": point.customers,
    }
