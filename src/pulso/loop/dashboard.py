"""Closed-loop dashboard figures: cases opened/closed, first contact in SLA, time to close,
recovery — overall, by unit and by touchpoint — and their Vega-Lite charts."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import altair as alt
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from pulso.lib.charts import BLUE, DATA, ORANGE, WIDTH, spec_json, with_data
from pulso.loop.models import Case
from pulso.loop.recovery import RecoveryStats, recovery_stats


@dataclass
class LoopFigures:
    label: str
    opened: int
    closed: int
    first_contact_in_sla: float | None  # share of cases whose first contact was due or done
    median_hours_to_close: float | None


def figures(label: str, cases: list[Case], now: datetime) -> LoopFigures:
    measurable = [c for c in cases if c.first_contacted_at or c.first_contact_due <= now]
    on_time = [c for c in measurable if c.first_contact_in_sla()]
    hours = [c.time_to_close().total_seconds() / 3600 for c in cases if c.closed_at]  # type: ignore[union-attr]
    return LoopFigures(
        label=label,
        opened=len(cases),
        closed=sum(1 for c in cases if c.closed_at),
        first_contact_in_sla=len(on_time) / len(measurable) if measurable else None,
        median_hours_to_close=statistics.median(hours) if hours else None,
    )


def _grouped(cases: list[Case], key: Any, now: datetime) -> list[LoopFigures]:
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        groups[key(case)].append(case)
    rows = [figures(label, members, now) for label, members in groups.items()]
    return sorted(rows, key=lambda row: (-row.opened, row.label))


@dataclass
class Dashboard:
    total: LoopFigures
    by_unit: list[LoopFigures]
    by_touchpoint: list[LoopFigures]
    recovery: RecoveryStats
    weekly_chart: dict[str, Any]
    unit_chart: dict[str, Any]


def build(cases: QuerySet[Case], days: int, now: datetime | None = None) -> Dashboard:
    """Figures of the cases opened in the last ``days`` days (already scoped to the user)."""
    now = now or timezone.now()
    window = cases.filter(created_at__gte=now - timedelta(days=days))
    rows = list(window.select_related("unit", "touchpoint"))
    by_unit = _grouped(rows, lambda c: c.unit.name, now)
    no_touchpoint = _("No touchpoint")
    return Dashboard(
        total=figures(_("All cases"), rows, now),
        by_unit=by_unit,
        by_touchpoint=_grouped(
            rows, lambda c: c.touchpoint.name if c.touchpoint else no_touchpoint, now
        ),
        recovery=recovery_stats(window),
        weekly_chart=weekly_chart(rows),
        unit_chart=unit_chart(by_unit[:15]),
    )


def _week(moment: datetime) -> str:
    day = timezone.localtime(moment).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def weekly_chart(cases: list[Case]) -> dict[str, Any]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    opened, closed = pgettext("cases", "Opened"), pgettext("cases", "Closed")
    for case in cases:
        counts[(_week(case.created_at), opened)] += 1
        if case.closed_at:
            counts[(_week(case.closed_at), closed)] += 1
    values = [{"week": w, "what": what, "n": n} for (w, what), n in sorted(counts.items())]
    return with_data(_weekly_chart(get_language()), values)


@lru_cache(maxsize=8)
def _weekly_chart(language: str | None) -> str:
    chart = alt.Chart(DATA).mark_line(point=True).encode(
        x=alt.X("week:T", title=_("Week")),
        y=alt.Y("n:Q", title=_("Cases")),
        color=alt.Color("what:N", title="", scale=alt.Scale(range=[BLUE, ORANGE])),
        tooltip=[alt.Tooltip("week:T", title=_("Week")), alt.Tooltip("what:N", title=""),
                 alt.Tooltip("n:Q", title=_("Cases"))],
    )  # fmt: skip
    return spec_json(
        chart.properties(title=_("Cases opened and closed per week"), width=WIDTH, height=220)
    )


def unit_chart(rows: list[LoopFigures]) -> dict[str, Any]:
    values = [
        {"unit": row.label, "pct": round(100 * row.first_contact_in_sla, 1), "n": row.opened}
        for row in rows
        if row.first_contact_in_sla is not None
    ]
    return with_data(_unit_chart(get_language()), values)


@lru_cache(maxsize=8)
def _unit_chart(language: str | None) -> str:
    chart = alt.Chart(DATA).mark_bar(color=BLUE).encode(
        x=alt.X("pct:Q", title=_("First contact within SLA (%)"), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("unit:N", title=_("Unit"), sort="-x"),
        tooltip=[alt.Tooltip("unit:N", title=_("Unit")), alt.Tooltip("pct:Q", title="%"),
                 alt.Tooltip("n:Q", title=_("Cases"))],
    )  # fmt: skip
    return spec_json(
        chart.properties(
            title=_("First contact within SLA by unit"), width=WIDTH, height=alt.Step(22)
        )
    )
