"""Vega-Lite specs of the benchmark pages, built with Altair like the dashboards' charts.

Low-base cells are drawn grey whatever their score, so colour never suggests a difference
that the base cannot carry; a star marks a difference that is significant.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import altair as alt
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pulso.metrics.charts import (
    BLUE,
    DATA,
    GREY,
    ORANGE,
    SCORE_SCHEME,
    WIDTH,
    spec_json,
    with_data,
)

VERMILLION = "#D55E00"
ABOVE = gettext_lazy("Significantly above")
BELOW = gettext_lazy("Significantly below")
SAME = gettext_lazy("No significant difference")
LOW_BASE = gettext_lazy("Low base")
UNTESTED = gettext_lazy("Not tested")


def status_label(significant: bool, gap: float | None, low_base: bool) -> str:
    """How a cut or a gap reads in a chart's legend."""
    if low_base:
        return str(LOW_BASE)
    if significant and gap is not None:
        return str(ABOVE if gap > 0 else BELOW)
    return str(SAME)


def _finish(chart: Any, title: str, **size: Any) -> str:
    return spec_json(chart.properties(title=title, width=WIDTH, **size))


def interaction_heatmap(rows: list[dict[str, Any]], title: str, metric: str) -> dict[str, Any]:
    """The figure per interaction type × channel; rows: type, channel, value, n, low_base, text."""
    return with_data(_interaction_heatmap(title, metric, get_language()), rows)


@lru_cache(maxsize=32)
def _interaction_heatmap(title: str, metric: str, language: str | None) -> str:
    # NPS runs from -100 to 100, the shares of CSAT and CES from 0 to 100.
    low, middle = (-100, 0) if metric == "nps" else (0, 50)
    base = alt.Chart(DATA).encode(
        x=alt.X("channel:N", title=_("Channel"), sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("type:N", title=_("Interaction type"), sort=None),
        tooltip=[
            alt.Tooltip("type:N", title=_("Interaction type")),
            alt.Tooltip("channel:N", title=_("Channel")),
            alt.Tooltip("value:Q", title=_("Value"), format=".1f"),
            alt.Tooltip("margin:Q", title=_("Margin of error (±)"), format=".1f"),
            alt.Tooltip("n:Q", title=_("Responses")),
        ],
    )
    scored = (
        base.transform_filter("!datum.low_base")
        .mark_rect()
        .encode(
            color=alt.Color(
                "value:Q",
                title=_("Value"),
                scale=alt.Scale(scheme=SCORE_SCHEME, domain=[100, low], domainMid=middle),
            )
        )
    )
    low = base.transform_filter("datum.low_base").mark_rect(color=GREY, opacity=0.35)
    text = base.mark_text(fontSize=12).encode(text="text:N")
    return _finish(scored + low + text, title, height=alt.Step(36))


def comparison_bars(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """Each cut's figure with its 95 % interval and the whole scope's figure as a dashed line;
    rows: label, value, low, high, n, status, scope_value."""
    return with_data(_comparison_bars(title, get_language()), rows)


def _status_colour() -> alt.Color:
    return alt.Color(
        "status:N",
        title=_("Against the rest"),
        scale=alt.Scale(
            domain=[str(ABOVE), str(SAME), str(BELOW), str(LOW_BASE), str(UNTESTED)],
            range=[BLUE, "#56B4E9", VERMILLION, GREY, ORANGE],
        ),
    )


@lru_cache(maxsize=32)
def _comparison_bars(title: str, language: str | None) -> str:
    y = alt.Y("label:N", title=None, sort=None)
    bars = (
        alt.Chart(DATA)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("value:Q", title=_("Value")),
            color=_status_colour(),
            tooltip=[
                alt.Tooltip("label:N", title=_("Cut")),
                alt.Tooltip("value:Q", title=_("Value"), format=".1f"),
                alt.Tooltip("low:Q", title=_("Interval from"), format=".1f"),
                alt.Tooltip("high:Q", title=_("Interval to"), format=".1f"),
                alt.Tooltip("n:Q", title=_("Responses")),
            ],
        )
    )
    errors = alt.Chart(DATA).mark_errorbar(color="#333333").encode(y=y, x="low:Q", x2="high:Q")
    scope = (
        alt.Chart(DATA)
        .mark_rule(strokeDash=[4, 4], color="#333333")
        .encode(x="mean(scope_value):Q")
    )
    return _finish(bars + errors + scope, title)


def reference_gaps(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """The company's figure minus each reference; rows: label, gap, status."""
    return with_data(_reference_gaps(title, get_language()), rows)


@lru_cache(maxsize=32)
def _reference_gaps(title: str, language: str | None) -> str:
    chart = (
        alt.Chart(DATA)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=None),
            x=alt.X("gap:Q", title=_("Our figure − reference")),
            color=_status_colour(),
            tooltip=[
                alt.Tooltip("label:N", title=_("Reference")),
                alt.Tooltip("reference:Q", title=_("Reference value"), format=".1f"),
                alt.Tooltip("company:Q", title=_("Our figure"), format=".1f"),
                alt.Tooltip("gap:Q", title=_("Gap"), format=".1f"),
                alt.Tooltip("company_n:Q", title=_("Responses")),
                alt.Tooltip("base_n:Q", title=_("Reference base (n)")),
            ],
        )
    )
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color=GREY).encode(x="zero:Q")
    return _finish(zero + chart, title)
