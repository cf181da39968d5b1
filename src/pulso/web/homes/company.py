"""The CX lead's home: company scores against target, units that dropped, themes, overdue cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.loop.models import Case
from pulso.metrics import dashboards, queries
from pulso.metrics.dashboards import Cut
from pulso.metrics.filters import MetricFilter, Period
from pulso.metrics.metrics import Scorecard, Totals, low_base_n
from pulso.textanalytics.models import EmergingTheme

TREND_WEEKS = 8
DROP_DAYS = 28
LIST_LIMIT = 5


@dataclass
class CompanyHome:
    card: Scorecard
    trend: list[dict[str, Any]]
    dropped: list[Cut]
    rising: list[EmergingTheme]
    emerging: list[EmergingTheme]
    overdue_by_unit: list[dict[str, Any]]


def trend_filter(today: date) -> MetricFilter:
    """The last ``TREND_WEEKS`` whole weeks up to today, by week."""
    monday = today - timedelta(days=today.weekday())
    return MetricFilter(start=monday - timedelta(weeks=TREND_WEEKS - 1), end=today, by=Period.WEEK)


def company_home(user: AnyUser, today: date | None = None) -> CompanyHome:
    today = today or timezone.localdate()
    f = trend_filter(today)
    series = {key[0]: t for key, t in queries.totals_by(f, user, by=f.by).items()}
    themes = list(EmergingTheme.objects.filter(status=EmergingTheme.Status.NEW)[:50])
    return CompanyHome(
        card=dashboards.scorecard(f, user),
        trend=dashboards.trend_rows(series, f),
        dropped=dropped_units(user, today),
        rising=[t for t in themes if t.kind == EmergingTheme.Kind.GROWING][:LIST_LIMIT],
        emerging=[t for t in themes if t.kind == EmergingTheme.Kind.UNCOVERED][:LIST_LIMIT],
        overdue_by_unit=overdue_by_unit(user),
    )


def dropped_units(user: AnyUser, today: date) -> list[Cut]:
    """Units whose NPS (whole subtree) fell significantly over the last four weeks vs the four
    before, both periods at or above the low-base threshold."""
    f = MetricFilter(start=today - timedelta(days=DROP_DAYS - 1), end=today)
    now = queries.totals_by(f, user, ("org_unit_id",))
    before = queries.totals_by(f, user, ("org_unit_id",), span=f.previous)
    units = list(OrgUnit.objects.visible_to(user).filter(is_active=True, parent__isnull=False))
    paths = {u.pk: u.path for u in OrgUnit.objects.visible_to(user).only("pk", "path")}
    dropped = []
    minimum = low_base_n()
    for unit in units:
        current, previous = _subtree(unit, now, paths), _subtree(unit, before, paths)
        if min(current.nps_n, previous.nps_n) < minimum:
            continue
        cut = dashboards.make_cut(unit.name, unit, current, previous)
        change = cut.nps.change
        if change and change.significant and change.delta < 0:
            dropped.append(cut)
    dropped.sort(key=lambda c: c.nps.change.delta if c.nps.change else 0)
    return dropped[:LIST_LIMIT]


def _subtree(unit: OrgUnit, rows: dict[queries.Key, Totals], paths: dict[int, str]) -> Totals:
    return Totals.sum(t for (pk,), t in rows.items() if paths.get(pk, "").startswith(unit.path))


def overdue_by_unit(user: AnyUser, limit: int = 8) -> list[dict[str, Any]]:
    """Overdue open cases per unit, most first."""
    rows = (
        Case.objects.visible_to(user)
        .overdue()
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")[:limit]
    )
    return [{"unit_id": r["unit_id"], "unit": r["unit__name"], "n": r["n"]} for r in rows]
