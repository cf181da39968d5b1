"""The key-driver page: which touchpoints, attributes and topics move the NPS."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from pulso.core.access import action_required
from pulso.drivers import charts, queries
from pulso.drivers.analysis import MIN_RESPONSES, analyse
from pulso.drivers.units import by_unit, child_units
from pulso.metrics.filters import MetricFilterForm
from pulso.metrics.metrics import low_base_n


@action_required("metrics.view_counts")
def drivers(request: HttpRequest) -> HttpResponse:
    form = MetricFilterForm(request.GET, user=request.user)
    context: dict[str, Any] = {
        "form": form,
        "low_base_n": low_base_n(),
        "query": request.GET.urlencode(),
        "min_responses": MIN_RESPONSES,
    }
    if form.is_valid():
        f = form.metric_filter()
        matrix = queries.driver_matrix(f, request.user)
        result = analyse(matrix, low_base_n())
        units = by_unit(matrix, child_units(f, request.user), low_base_n())
        context.update(filter=f, result=result, units=units)
        if result is not None:
            context["priority_chart"] = charts.priority_chart(
                charts.priority_rows(result),
                _("Priorities: importance against performance (bars: 95% bootstrap interval)"),
            )
            context["impact_chart"] = charts.impact_chart(
                charts.impact_rows(result), _("Topic impact on NPS (bars: 95% margin of error)")
            )
    return render(request, "drivers/drivers.html", context, status=400 if form.errors else 200)
