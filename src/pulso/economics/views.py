"""The CX economics page: churn, retention, repurchase and revenue by NPS group."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pulso.core.access import action_required
from pulso.economics.charts import group_label, retention_chart
from pulso.economics.figures import DEFAULT_HORIZON, HORIZONS, compute_economics


def horizon_from(value: str | None) -> int:
    """The horizon asked for, when it is one the page offers; else the default."""
    return int(value) if value and value.isdigit() and int(value) in HORIZONS else DEFAULT_HORIZON


@action_required("economics.view_economics")
def overview(request: HttpRequest) -> HttpResponse:
    horizon = horizon_from(request.GET.get("days"))
    figures = compute_economics(horizon)
    context = {
        "figures": figures,
        "horizons": HORIZONS,
        "groups": [(group_label(g.group), g) for g in figures.groups],
        "ces_bands": [(group_label(g.group), g) for g in figures.ces_bands],
        "overall": figures.overall,
        "campaigns": [(c, [(group_label(g), p) for g, p in c.groups]) for c in figures.campaigns],
        "chart": retention_chart(figures.curves, max_day=max(HORIZONS)) if figures.curves else None,
    }
    return render(request, "economics/overview.html", context)
