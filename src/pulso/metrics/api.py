"""Metrics in the REST API: the dashboards' numbers, same filters, same scoping.

Filters are query parameters (``from``, ``to``, ``by``, ``journey`` slug, ``stage``,
``touchpoint``, ``unit`` code, ``channel``, ``segment``, ``survey``, ``audience``); invalid ones
answer 422 with the message of each field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from pulso.accounts.models import OrgUnit
from pulso.core.apiutils import require
from pulso.journeys.models import Touchpoint
from pulso.metrics import dashboards, queries
from pulso.metrics.filters import MetricFilter, MetricFilterForm

router = Router(tags=["metrics"])
routers: list[tuple[str, Router]] = [("/metrics", router)]


class FilterErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


def _parse(request: HttpRequest) -> MetricFilter | FilterErrors:
    form = MetricFilterForm(request.GET, user=request.user)
    if form.is_valid():
        return form.metric_filter()
    errors = {field: [str(e) for e in messages] for field, messages in form.errors.items()}
    return FilterErrors(detail="Invalid filters.", errors=errors)


def _filter_dict(f: MetricFilter) -> dict[str, Any]:
    return {
        "from": f.start.isoformat(),
        "to": f.end.isoformat(),
        "by": f.by,
        "previous": [d.isoformat() for d in f.previous],
        "journey": f.journey.slug if f.journey else None,
        "touchpoint": f.touchpoint.pk if f.touchpoint else None,
        "unit": f.unit.code if f.unit else None,
        "channel": f.channel or None,
        "segment": f.segment or None,
        "audience": f.audience,
    }


@router.get("/summary", response={200: dict[str, Any], 422: FilterErrors})
def summary(request: HttpRequest) -> Any:
    """Headline NPS / CSAT / CES / eNPS with margins, change vs the previous period, targets,
    response rate, negative comments, and the trend per period (``by``)."""
    require(request, "metrics.view_counts")
    f = _parse(request)
    if isinstance(f, FilterErrors):
        return Status(422, f)
    card = dashboards.scorecard(f, request.user)
    series = {k[0]: t for k, t in queries.totals_by(f, request.user, by=f.by).items()}
    return {
        "filter": _filter_dict(f),
        "summary": card.as_dict(),
        "trend": dashboards.trend_rows(series, f),
    }


@router.get("/touchpoints", response={200: dict[str, Any], 422: FilterErrors})
def touchpoints(request: HttpRequest) -> Any:
    """Metrics per touchpoint (filter by ``journey`` to get one journey map)."""
    require(request, "metrics.view_counts")
    f = _parse(request)
    if isinstance(f, FilterErrors):
        return Status(422, f)
    objects = Touchpoint.objects.select_related("stage").in_bulk()
    cuts = dashboards.breakdown(f, request.user, "touchpoint_id", objects)
    rows = [
        {**c.as_dict(), "stage": c.obj.stage.name, "moment_of_truth": c.obj.is_moment_of_truth}
        for c in cuts
    ]
    return {"filter": _filter_dict(f), "touchpoints": rows}


@router.get("/league", response={200: dict[str, Any], 422: FilterErrors})
def league(request: HttpRequest, kind: str = OrgUnit.Kind.STORE) -> Any:
    """Org units of one ``kind`` (default stores), subtree rolled up, ranked by NPS."""
    require(request, "metrics.view_counts")
    f = _parse(request)
    if isinstance(f, FilterErrors):
        return Status(422, f)
    if kind not in OrgUnit.Kind.values:
        errors = {"kind": [f"Unknown kind {kind!r}."]}
        return Status(422, FilterErrors(detail="Invalid filters.", errors=errors))
    cuts = dashboards.league(f, request.user, kind)
    rows = [{**c.as_dict(), "code": c.obj.code, "rank": c.extra["rank"]} for c in cuts]
    return {"filter": _filter_dict(f), "units": rows}
