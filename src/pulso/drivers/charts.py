"""Vega-Lite specs of the driver page: the importance × performance priority chart and the
topic impact bars (built with Altair like the dashboards' charts, in the page's language)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import altair as alt
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pulso.drivers.analysis import ATTRIBUTE, TOPIC, TOUCHPOINT, KeyDriverAnalysis
from pulso.metrics.charts import BLUE, DATA, GREY, ORANGE, WIDTH, spec_json, with_data

VERMILLION = "#D55E00"  # Okabe–Ito, the third colour beside the dashboards' blue and orange


KIND_LABELS = {
    TOUCHPOINT: gettext_lazy("Touchpoint"),
    ATTRIBUTE: gettext_lazy("Rated attribute"),
    TOPIC: gettext_lazy("Topic"),
}


LOW_BASE = gettext_lazy("Low base")
ENOUGH_BASE = gettext_lazy("Enough answers")


def priority_rows(result: KeyDriverAnalysis) -> list[dict[str, Any]]:
    """Drivers with a performance (touchpoints, attributes): importance and performance in %."""
    return [
        {
            "driver": r.driver.label,
            "kind": str(KIND_LABELS[r.driver.kind]),
            "importance": round(r.share * 100, 2),
            "low": round(r.share_low * 100, 2),
            "high": round(r.share_high * 100, 2),
            "performance": round(r.performance, 1),
            "base": r.base,
            "low_base": r.low_base,
            "base_label": str(LOW_BASE if r.low_base else ENOUGH_BASE),
        }
        for r in result.ranked()
        if r.performance is not None
    ]


def impact_rows(result: KeyDriverAnalysis) -> list[dict[str, Any]]:
    """Topics: NPS with the topic minus NPS without it, with its 95 % interval."""
    return [
        {
            "topic": r.driver.label,
            "delta": round(r.impact.delta, 1),
            "low": round(r.impact.low, 1),
            "high": round(r.impact.high, 1),
            "base": r.base,
            "low_base": r.low_base,
        }
        for r in result.topics()
        if r.impact is not None
    ]


def priority_chart(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """Importance (share of explained variance) against performance (mean score, 0–100)."""
    return with_data(_priority_chart(title, get_language()), rows)


@lru_cache(maxsize=32)
def _priority_chart(title: str, language: str | None) -> str:
    x = alt.X("performance:Q", title=_("Performance (mean score, 0–100)"))
    y = alt.Y("importance:Q", title=_("Importance (percent of the explained variance)"))
    tooltip = [
        alt.Tooltip("driver:N", title=_("Driver")),
        alt.Tooltip("kind:N", title=_("Kind")),
        alt.Tooltip("importance:Q", title=_("Importance (%)"), format=".1f"),
        alt.Tooltip("low:Q", title=_("Interval from"), format=".1f"),
        alt.Tooltip("high:Q", title=_("Interval to"), format=".1f"),
        alt.Tooltip("performance:Q", title=_("Performance"), format=".1f"),
        alt.Tooltip("base:Q", title=_("Responses")),
    ]
    base = alt.Chart(DATA)
    colour = alt.Color(
        "base_label:N",
        title=_("Base"),
        scale=alt.Scale(domain=[str(ENOUGH_BASE), str(LOW_BASE)], range=[BLUE, ORANGE]),
    )
    points = base.mark_point(filled=True, size=90).encode(
        x=x, y=y, color=colour, shape=alt.Shape("kind:N", title=_("Kind")), tooltip=tooltip
    )
    errors = base.mark_rule(color=GREY).encode(x=x, y="low:Q", y2="high:Q")
    labels = base.mark_text(align="left", dx=8, fontSize=11).encode(x=x, y=y, text="driver:N")
    mean_x = base.mark_rule(color=GREY, strokeDash=[4, 4]).encode(x="mean(performance):Q")
    mean_y = base.mark_rule(color=GREY, strokeDash=[4, 4]).encode(y="mean(importance):Q")
    layered = errors + mean_x + mean_y + points + labels
    return spec_json(layered.properties(title=title, width=WIDTH, height=360))


def impact_chart(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """Topic impact on the NPS as bars with their 95 % interval."""
    return with_data(_impact_chart(title, get_language()), rows)


@lru_cache(maxsize=32)
def _impact_chart(title: str, language: str | None) -> str:
    y = alt.Y("topic:N", title=_("Topic"), sort=alt.EncodingSortField(field="delta"))
    x_title = _("NPS with the topic − NPS without it")
    bars = (
        alt.Chart(DATA)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("delta:Q", title=x_title),
            color=alt.condition(alt.datum.delta < 0, alt.value(VERMILLION), alt.value(BLUE)),
            tooltip=[
                alt.Tooltip("topic:N", title=_("Topic")),
                alt.Tooltip("delta:Q", title=_("Impact on NPS"), format=".1f"),
                alt.Tooltip("low:Q", title=_("Interval from"), format=".1f"),
                alt.Tooltip("high:Q", title=_("Interval to"), format=".1f"),
                alt.Tooltip("base:Q", title=_("Mentions")),
            ],
        )
    )
    errors = (
        alt.Chart(DATA)
        .mark_errorbar(color="#333333")
        .encode(y=y, x=alt.X("low:Q", title=x_title), x2="high:Q")
    )
    return spec_json((bars + errors).properties(title=title, width=WIDTH))
