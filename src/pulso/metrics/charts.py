"""Vega-Lite specs built with Altair: translated titles, colour-blind-safe palettes.

Each function returns a plain dict (the spec), embedded in the page as JSON and rendered by
the vendored vega-embed; nothing is fetched from the internet.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import altair as alt
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# The shared helpers live in pulso.lib.charts so that apps below metrics use them too.
from pulso.lib.charts import (
    BLUE,
    DATA,
    GREY,
    ORANGE,
    SCORE_SCHEME,
    WIDTH,
    spec_json,
    with_data,
)


def nps_trend(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """NPS per period with its margin of error as a band; rows: period, nps, low, high, n."""
    return with_data(_nps_trend(title, get_language()), rows)


@lru_cache(maxsize=64)
def _nps_trend(title: str, language: str | None) -> str:
    data = DATA
    x = alt.X("period:T", title=_("Period"))
    y = alt.Y("nps:Q", title=_("NPS"), scale=alt.Scale(domain=[-100, 100]))
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.25, color=BLUE)
        .encode(x=x, y=alt.Y("low:Q", title=_("NPS")), y2="high:Q")
    )
    tooltip = [
        alt.Tooltip("period:T", title=_("Period")),
        alt.Tooltip("nps:Q", title=_("NPS"), format=".1f"),
        alt.Tooltip("margin:Q", title=_("Margin of error (±)"), format=".1f"),
        alt.Tooltip("n:Q", title=_("Responses")),
    ]
    line = alt.Chart(data).mark_line(color=BLUE).encode(x=x, y=y)
    # A period under the low base is a hollow grey point, so a score read from a handful of
    # answers does not look like the others; its n is in the tooltip.
    points = (
        alt.Chart(data)
        .transform_filter("datum.nps !== null")
        .transform_calculate(
            base=f"datum.low_base ? {json.dumps(_('Low base'))} : {json.dumps(_('Enough answers'))}"
        )
        .mark_point(size=50)
        .encode(
            x=x,
            y=y,
            color=alt.condition("datum.low_base", alt.value(GREY), alt.value(BLUE)),
            fill=alt.condition("datum.low_base", alt.value("white"), alt.value(BLUE)),
            tooltip=[*tooltip, alt.Tooltip("base:N", title=_("Base"))],
        )
    )
    chart = (band + line + points).properties(title=title, width=WIDTH, height=240)
    return spec_json(chart)


def volume_bars(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """Responses per period; rows: period, n."""
    return with_data(_volume_bars(title, get_language()), rows)


@lru_cache(maxsize=64)
def _volume_bars(title: str, language: str | None) -> str:
    chart = (
        alt.Chart(DATA)
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("period:T", title=_("Period")),
            y=alt.Y("n:Q", title=_("Responses")),
            tooltip=[
                alt.Tooltip("period:T", title=_("Period")),
                alt.Tooltip("n:Q", title=_("Responses")),
            ],
        )
    )
    return spec_json(chart.properties(title=title, width=WIDTH, height=160))


def experience_curve(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """NPS per journey stage, in journey order; rows: order, stage, nps, n."""
    return with_data(_experience_curve(title, get_language()), rows)


@lru_cache(maxsize=64)
def _experience_curve(title: str, language: str | None) -> str:
    chart = (
        alt.Chart(DATA)
        .mark_line(point=alt.OverlayMarkDef(size=80), color=BLUE)
        .encode(
            x=alt.X(
                "stage:N",
                title=_("Stage"),
                sort=alt.EncodingSortField(field="order", op="min"),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("nps:Q", title=_("NPS"), scale=alt.Scale(domain=[-100, 100])),
            tooltip=[
                alt.Tooltip("stage:N", title=_("Stage")),
                alt.Tooltip("nps:Q", title=_("NPS"), format=".1f"),
                alt.Tooltip("n:Q", title=_("Responses")),
            ],
        )
    )
    rule = (
        alt.Chart(alt.Data(values=[{"zero": 0}]))
        .mark_rule(color=GREY, strokeDash=[4, 4])
        .encode(y="zero:Q")
    )
    return spec_json((rule + chart).properties(title=title, width=WIDTH, height=220))


def touchpoint_heatmap(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """NPS per touchpoint and period; rows: touchpoint, period, nps, n."""
    return with_data(_touchpoint_heatmap(title, get_language()), rows)


@lru_cache(maxsize=64)
def _touchpoint_heatmap(title: str, language: str | None) -> str:
    chart = (
        alt.Chart(DATA)
        .mark_rect()
        .encode(
            x=alt.X("period:O", title=_("Period")),
            y=alt.Y("touchpoint:N", title=_("Touchpoint"), sort=None),
            color=alt.Color(
                "nps:Q",
                title=_("NPS"),
                scale=alt.Scale(scheme=SCORE_SCHEME, domain=[100, -100], domainMid=0),
            ),
            tooltip=[
                alt.Tooltip("touchpoint:N", title=_("Touchpoint")),
                alt.Tooltip("period:O", title=_("Period")),
                alt.Tooltip("nps:Q", title=_("NPS"), format=".1f"),
                alt.Tooltip("n:Q", title=_("Responses")),
            ],
        )
    )
    return spec_json(chart.properties(title=title, width=WIDTH))


def league_bars(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """NPS per org unit with its margin as an error bar; rows: unit, nps, low, high, n, low_base."""
    return with_data(_league_bars(title, get_language()), rows)


@lru_cache(maxsize=64)
def _league_bars(title: str, language: str | None) -> str:
    data = DATA
    y = alt.Y("unit:N", title=_("Org unit"), sort=None)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("nps:Q", title=_("NPS"), scale=alt.Scale(domain=[-100, 100])),
            color=alt.Color(
                "low_base:N",
                title=_("Low base"),
                scale=alt.Scale(domain=[False, True], range=[BLUE, ORANGE]),
            ),
            tooltip=[
                alt.Tooltip("unit:N", title=_("Org unit")),
                alt.Tooltip("nps:Q", title=_("NPS"), format=".1f"),
                alt.Tooltip("n:Q", title=_("Responses")),
            ],
        )
    )
    errors = alt.Chart(data).mark_errorbar(color="#333333").encode(y=y, x="low:Q", x2="high:Q")
    return spec_json((bars + errors).properties(title=title, width=WIDTH))
