"""The retention chart: Kaplan–Meier curves by NPS group, as a Vega-Lite spec (Altair)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import altair as alt
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pulso.economics.stats import CurvePoint
from pulso.lib.charts import DATA, GREEN, GREY, VERMILLION, WIDTH, spec_json, with_data

GROUP_COLOURS = {"promoter": GREEN, "passive": GREY, "detractor": VERMILLION}


def group_label(group: str) -> str:
    labels = {
        "promoter": _("Promoters"),
        "passive": _("Passives"),
        "detractor": _("Detractors"),
        "easy": _("Easy (CES 5–7)"),
        "neutral": _("Neutral (CES 4)"),
        "hard": _("Hard (CES 1–3)"),
        "all": _("All customers"),
    }
    return str(labels.get(group, group))


def _clipped(points: list[CurvePoint], max_day: float) -> list[CurvePoint]:
    """The points up to ``max_day``, the line carried on to it when the curve goes further."""
    kept = [point for point in points if point.day <= max_day]
    if kept and len(kept) < len(points):
        last = kept[-1]
        kept.append(
            CurvePoint(max_day, last.retention, last.low, last.high, points[len(kept)].at_risk)
        )
    return kept


def retention_chart(curves: dict[str, list[CurvePoint]], max_day: float) -> dict[str, Any]:
    """Retention (%) against days since the answer, one step line and band per group."""
    values = [
        {
            "group": group_label(group),
            "day": round(point.day, 2),
            "retention": round(100 * point.retention, 2),
            "low": round(100 * point.low, 2),
            "high": round(100 * point.high, 2),
            "at_risk": point.at_risk,
        }
        for group, points in curves.items()
        for point in _clipped(points, max_day)
    ]
    groups = tuple(g for g in GROUP_COLOURS if g in curves)
    return with_data(_retention_chart(groups, max_day, get_language()), values)


@lru_cache(maxsize=32)
def _retention_chart(groups: tuple[str, ...], max_day: float, language: str | None) -> str:
    colour = alt.Color(
        "group:N",
        title=_("NPS group"),
        scale=alt.Scale(
            domain=[group_label(g) for g in groups], range=[GROUP_COLOURS[g] for g in groups]
        ),
    )
    x = alt.X("day:Q", title=_("Days since the answer"), scale=alt.Scale(domain=[0, max_day]))
    base = alt.Chart(DATA)
    band = base.mark_area(opacity=0.15, interpolate="step-after").encode(
        x=x, y=alt.Y("low:Q"), y2="high:Q", color=colour
    )
    line = base.mark_line(interpolate="step-after").encode(
        x=x,
        y=alt.Y("retention:Q", title=_("Customers retained (%)")),
        color=colour,
        tooltip=[
            alt.Tooltip("group:N", title=_("NPS group")),
            alt.Tooltip("day:Q", title=_("Day"), format=".0f"),
            alt.Tooltip("retention:Q", title=_("Retained (%)"), format=".1f"),
            alt.Tooltip("at_risk:Q", title=_("Still followed")),
        ],
    )
    chart = (band + line).properties(
        title=_("Retention after the answer (Kaplan–Meier)"), width=WIDTH, height=280
    )
    return spec_json(chart)
