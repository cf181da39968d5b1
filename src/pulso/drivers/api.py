"""Key drivers in the REST API: the page's figures, with the dashboards' filters and scoping."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from pulso.core.apiutils import Problem, require
from pulso.drivers import queries
from pulso.drivers.analysis import analyse
from pulso.drivers.units import by_unit, child_units
from pulso.metrics.api import MetricQuery, parse_filters
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import low_base_n

router = Router(tags=["drivers"])
routers: list[tuple[str, Router]] = [("/drivers", router)]


def _filter_dict(f: MetricFilter) -> dict[str, Any]:
    return {
        "from": f.start.isoformat(),
        "to": f.end.isoformat(),
        "journey": f.journey.slug if f.journey else None,
        "survey": f.survey.pk if f.survey else None,
        "touchpoint": f.touchpoint.pk if f.touchpoint else None,
        "unit": f.unit.code if f.unit else None,
        "channel": f.channel or None,
        "segment": f.segment or None,
        "audience": f.audience,
        "adjusted": f.adjusted or None,
    }


@router.get("", response={200: dict[str, Any], 404: Problem, 422: Problem})
def key_drivers(request: HttpRequest, filters: Query[MetricQuery]) -> Any:
    """Relative importance of touchpoints, rated attributes and topics on the NPS answer
    (Johnson's relative weights, 95 % bootstrap intervals), performance, topic impact, and the
    top drivers of each unit below ``unit`` (or the company) where its base allows."""
    require(request, "metrics.view_counts")
    f = parse_filters(request)
    if isinstance(f, Status):
        return f
    matrix = queries.driver_matrix(f, request.user)
    result = analyse(matrix, low_base_n())
    units = by_unit(matrix, child_units(f, request.user), low_base_n())
    body: dict[str, Any] = {
        "filter": _filter_dict(f),
        "low_base_n": low_base_n(),
        "units": [u.as_dict() for u in units],
    }
    if result is None:
        return {**body, "n": 0, "drivers": []}
    return {
        **body,
        "n": result.n,
        "low_base": result.low_base,
        "r2": result.r2,
        "r2_interval": [result.r2_low, result.r2_high],
        "replicates": result.replicates,
        "drivers": [r.as_dict() for r in result.ranked()],
    }
