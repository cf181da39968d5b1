"""The parallel-trends chart of a pilot (Vega-Lite via Altair, rendered by the vendored JS)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import altair as alt
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pulso.lib.charts import BLUE, DATA, GREY, ORANGE, WIDTH, spec_json, with_data


def parallel_trends(rows: list[dict[str, Any]], start: str, metric: str) -> dict[str, Any]:
    """Weekly score of pilot and control units, with a rule on the day the change started;
    rows: week, group, score, n."""
    return with_data(_parallel_trends(start, metric, get_language()), rows)


@lru_cache(maxsize=32)
def _parallel_trends(start: str, metric: str, language: str | None) -> str:
    lines = (
        alt.Chart(DATA)
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title=_("Week")),
            y=alt.Y("score:Q", title=metric),
            color=alt.Color(
                "group:N",
                title=_("Group"),
                scale=alt.Scale(
                    domain=[_("Pilot units"), _("Control units")], range=[BLUE, ORANGE]
                ),
            ),
            tooltip=[
                alt.Tooltip("week:T", title=_("Week")),
                alt.Tooltip("group:N", title=_("Group")),
                alt.Tooltip("score:Q", title=metric, format=".1f"),
                alt.Tooltip("n:Q", title=_("Responses")),
            ],
        )
    )
    rule = (
        alt.Chart(alt.Data(values=[{"start": start}]))
        .mark_rule(color=GREY, strokeDash=[4, 4])
        .encode(x="start:T")
    )
    chart = (lines + rule).properties(
        title=_("Pilot and control units, week by week"), width=WIDTH, height=260
    )
    return spec_json(chart)


def employees_and_customers(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One point per unit: its employees' eNPS across, its customers' NPS up;
    rows: unit, enps, employees, nps, customers."""
    return with_data(_employees_and_customers(get_language()), rows)


@lru_cache(maxsize=8)
def _employees_and_customers(language: str | None) -> str:
    base = alt.Chart(DATA).encode(
        x=alt.X("enps:Q", title=_("Employees' eNPS"), scale=alt.Scale(zero=False)),
        y=alt.Y("nps:Q", title=_("Customers' NPS"), scale=alt.Scale(zero=False)),
    )
    points = base.mark_circle(size=90, color=BLUE).encode(
        tooltip=[
            alt.Tooltip("unit:N", title=_("Org unit")),
            alt.Tooltip("enps:Q", title=_("Employees' eNPS"), format=".0f"),
            alt.Tooltip("employees:Q", title=_("Employees who answered")),
            alt.Tooltip("nps:Q", title=_("Customers' NPS"), format=".0f"),
            alt.Tooltip("customers:Q", title=_("Customers who answered")),
        ]
    )
    labels = base.mark_text(align="left", dx=7, fontSize=10).encode(text="unit:N")
    chart = (points + labels).properties(
        title=_("Employees' eNPS and customers' NPS per unit"), width=WIDTH, height=320
    )
    return spec_json(chart)
