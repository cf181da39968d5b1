"""The parallel-trends chart of a pilot (Vega-Lite via Altair, rendered by the vendored JS)."""

from __future__ import annotations

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

# Okabe–Ito blue and vermillion/orange, as on the dashboards.
BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#999999"


def parallel_trends(rows: list[dict[str, Any]], start: str, metric: str) -> dict[str, Any]:
    """Weekly score of pilot and control units, with a rule on the day the change started;
    rows: week, group, score, n."""
    data = alt.Data(values=rows)
    lines = (
        alt.Chart(data)
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
        title=_("Pilot and control units, week by week"), width="container", height=260
    )
    spec: dict[str, Any] = chart.to_dict()
    spec["usermeta"] = {"embedOptions": {"actions": False, "renderer": "svg"}}
    return spec


def employees_and_customers(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One point per unit: its employees' eNPS across, its customers' NPS up;
    rows: unit, enps, employees, nps, customers."""
    base = alt.Chart(alt.Data(values=rows)).encode(
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
        title=_("Employees' eNPS and customers' NPS per unit"), width="container", height=320
    )
    spec: dict[str, Any] = chart.to_dict()
    spec["usermeta"] = {"embedOptions": {"actions": False, "renderer": "svg"}}
    return spec
