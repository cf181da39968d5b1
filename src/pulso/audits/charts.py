"""The emitted-versus-perceived chart (Vega-Lite built with Altair, rendered by the vendored
vega-embed): one point per unit × touchpoint, audit score across, customers' score up, and the
diagonal where both agree."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import altair as alt
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pulso.audits.scores import Pair
from pulso.lib.charts import DATA, GREY, WIDTH, spec_json, with_data

SCALE = alt.Scale(domain=[0, 100])


def chart_rows(pairs: list[Pair], low_base_n: int) -> list[dict[str, Any]]:
    """The pairs that have both scores, as the chart's data."""
    return [
        {
            "unit": pair.unit,
            "touchpoint": pair.touchpoint,
            "emitted": pair.emitted,
            "perceived": pair.perceived,
            "gap": pair.gap,
            "visits": pair.visits,
            "responses": pair.responses,
            "base": str(_("Low base") if pair.responses < low_base_n else _("Enough responses")),
        }
        for pair in pairs
        if pair.emitted is not None and pair.perceived is not None
    ]


def emitted_vs_perceived(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The chart's spec with ``rows`` (from :func:`chart_rows`) as its ``table`` dataset."""
    return with_data(_emitted_vs_perceived(get_language()), rows)


@lru_cache(maxsize=8)
def _emitted_vs_perceived(language: str | None) -> str:
    x = alt.X("emitted:Q", title=_("Emitted: audit score (0–100)"), scale=SCALE)
    y = alt.Y("perceived:Q", title=_("Perceived: customers' score (0–100)"), scale=SCALE)
    tooltip = [
        alt.Tooltip("unit:N", title=_("Unit")),
        alt.Tooltip("touchpoint:N", title=_("Touchpoint")),
        alt.Tooltip("emitted:Q", title=_("Audit score"), format=".1f"),
        alt.Tooltip("perceived:Q", title=_("Customers' score"), format=".1f"),
        alt.Tooltip("visits:Q", title=_("Visits")),
        alt.Tooltip("responses:Q", title=_("Responses")),
    ]
    diagonal = (
        alt.Chart(alt.Data(values=[{"v": 0}, {"v": 100}]))
        .mark_line(color=GREY, strokeDash=[4, 4])
        .encode(x=alt.X("v:Q", scale=SCALE), y=alt.Y("v:Q", scale=SCALE))
    )
    points = (
        alt.Chart(DATA)
        .mark_point(filled=True, size=90)
        .encode(
            x=x,
            y=y,
            color=alt.Color("touchpoint:N", title=_("Touchpoint")),
            shape=alt.Shape(
                "base:N",
                title=_("Customers' base"),
                scale=alt.Scale(
                    domain=[_("Enough responses"), _("Low base")], range=["circle", "triangle-up"]
                ),
            ),
            tooltip=tooltip,
        )
    )
    chart = (
        (diagonal + points)
        .properties(width=WIDTH, height=320)
        .configure_legend(orient="bottom", direction="vertical")
    )
    return spec_json(chart)
