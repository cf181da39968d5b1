"""Vega-Lite charts of brand reputation (built once per title and language, see
:mod:`pulso.metrics.charts`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import altair as alt
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from pulso.metrics.charts import BLUE, DATA, WIDTH, spec_json, with_data

# Okabe–Ito: distinguishable with every common colour deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def index_trend(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """The reputation index per period with its 95 % interval as a band."""
    return with_data(_index_trend(title, get_language()), rows)


@lru_cache(maxsize=32)
def _index_trend(title: str, language: str | None) -> str:
    x = alt.X("period:T", title=_("Period"))
    y = alt.Y("index:Q", title=_("Reputation index"), scale=alt.Scale(domain=[0, 100]))
    band = (
        alt.Chart(DATA)
        .transform_filter("datum.low !== null")
        .mark_area(opacity=0.25, color=BLUE)
        .encode(x=x, y=alt.Y("low:Q", title=_("Reputation index")), y2="high:Q")
    )
    tooltip = [
        alt.Tooltip("period:T", title=_("Period")),
        alt.Tooltip("index:Q", title=_("Reputation index"), format=".1f"),
        alt.Tooltip("low:Q", title=_("From"), format=".1f"),
        alt.Tooltip("high:Q", title=_("To"), format=".1f"),
        alt.Tooltip("n:Q", title=_("Mentions")),
    ]
    line = (
        alt.Chart(DATA)
        .transform_filter("datum.index !== null")
        .mark_line(point=True, color=BLUE)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    return spec_json((band + line).properties(title=title, width=WIDTH, height=240))


def share_trend(rows: list[dict[str, Any]], title: str, field: str) -> dict[str, Any]:
    """Each brand's share (``share`` or ``positive_share``) per period, one line per brand."""
    return with_data(_share_trend(title, field, get_language()), rows)


@lru_cache(maxsize=32)
def _share_trend(title: str, field: str, language: str | None) -> str:
    chart = (
        alt.Chart(DATA)
        .transform_filter(f"datum.{field} !== null")
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=_("Period")),
            y=alt.Y(
                f"{field}:Q",
                title=pgettext("share of voice", "Share"),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("brand:N", title=_("Brand"), scale=alt.Scale(range=PALETTE)),
            tooltip=[
                alt.Tooltip("period:T", title=_("Period")),
                alt.Tooltip("brand:N", title=_("Brand")),
                alt.Tooltip(f"{field}:Q", title=pgettext("share of voice", "Share"), format=".0%"),
                alt.Tooltip("n:Q", title=_("Mentions")),
            ],
        )  # fmt: skip
    )
    return spec_json(chart.properties(title=title, width=WIDTH, height=240))
