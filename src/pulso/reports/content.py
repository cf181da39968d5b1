"""What a weekly report says: the dashboard's own figures for the recipient's unit and week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from pulso.accounts.models import OrgUnit
from pulso.metrics import dashboards, queries
from pulso.metrics.filters import MetricFilter, Period
from pulso.metrics.metrics import MetricValue, Scorecard
from pulso.metrics.templatetags.metrics_tags import num, signed

TREND_WEEKS = 12


@dataclass
class WeeklyReport:
    unit: OrgUnit
    start: date
    end: date
    card: Scorecard
    trend: list[dict[str, Any]]
    league: list[dashboards.Cut]

    def headline_rows(self) -> list[tuple[str, str, str, str]]:
        """(metric, value, margin, change) as the dashboard shows them, in the active language."""
        rows = [(_("Responses"), str(self.card.responses), "", "")]
        for label, metric in (
            (_("NPS"), self.card.nps),
            (_("CSAT"), self.card.csat),
            (_("CES"), self.card.ces),
        ):
            rows.append((label, *figures(metric)))
        return rows

    def league_rows(self) -> list[tuple[str, str, str, str]]:
        return [(cut.label, num(cut.nps.value), str(cut.nps.n), _rank(cut)) for cut in self.league]


def figures(metric: MetricValue) -> tuple[str, str, str]:
    if not metric.has_data:
        return _("no data"), "", ""
    margin = f"± {num(metric.margin)}" if metric.margin is not None else ""
    change = signed(metric.change.delta) if metric.change else ""
    return num(metric.value), margin, change


def _rank(cut: dashboards.Cut) -> str:
    rank = cut.extra.get("rank")
    return str(rank) if rank else _("low base")


def last_week(today: date) -> tuple[date, date]:
    """Monday to Sunday of the last complete week before ``today``."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def weekly_report(user: Any, unit: OrgUnit, today: date) -> WeeklyReport:
    """The scorecard and league of the dashboard for last week, and 12 weeks of NPS trend."""
    start, end = last_week(today)
    week = MetricFilter(start=start, end=end, by=Period.WEEK, unit=unit)
    card = dashboards.scorecard(week, user)
    history = MetricFilter(
        start=start - timedelta(weeks=TREND_WEEKS - 1), end=end, by=Period.WEEK, unit=unit
    )
    series = {k[0]: t for k, t in queries.totals_by(history, user, by=Period.WEEK).items()}
    trend = dashboards.trend_rows(series, history)
    stores = [c for c in dashboards.league(week, user) if c.obj.path.startswith(unit.path)]
    return WeeklyReport(unit, start, end, card, trend, stores)
