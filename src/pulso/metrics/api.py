"""Metrics in the REST API: the dashboards' numbers, same filters, same scoping.

Filters are query parameters (``from``, ``to``, ``by``, ``journey`` slug, ``stage``,
``touchpoint``, ``unit`` code, ``channel``, ``segment``, ``survey``, ``audience``); invalid ones
answer 422 with the message of each field. A period of more than five years is shortened to the
five years ending at ``to``, and ``from`` after ``to`` is the empty period (no answers): the
answer's ``filter`` gives the period used and ``adjusted`` (``clamped``, ``empty`` or null).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from pulso.accounts.models import OrgUnit
from pulso.core.apiutils import Problem, require
from pulso.journeys.models import Touchpoint
from pulso.metrics import dashboards, queries
from pulso.metrics.filters import MetricFilter, MetricFilterForm
from pulso.surveys.models import Channel, Survey

router = Router(tags=["metrics"])
routers: list[tuple[str, Router]] = [("/metrics", router)]


class MetricQuery(Schema):
    """The filters of every metrics endpoint (read again by the dashboards' filter form)."""

    start: dt.date | None = Field(
        None,
        alias="from",
        description=(
            "First day (default: a year ago). At most five years before `to` (an earlier one is "
            "moved up to that, `adjusted: clamped`); after `to`, the period is empty "
            "(`adjusted: empty`). Days before 1900 count as 1900-01-01."
        ),
    )
    end: dt.date | None = Field(
        None,
        alias="to",
        description="Last day (default: today). Days after 2999 count as 2999-12-31.",
    )
    by: Literal["day", "week", "month", "quarter"] = Field("month", description="Trend period")
    journey: str | None = Field(None, max_length=100, description="Journey slug")
    stage: int | None = Field(None, ge=1, le=2**62)
    touchpoint: int | None = Field(None, ge=1, le=2**62)
    unit: str | None = Field(None, max_length=64, description="Org unit code (subtree)")
    channel: Channel | None = None
    segment: str | None = Field(None, max_length=60)
    survey: int | None = Field(None, ge=1, le=2**62)
    audience: Survey.Audience | None = None


# Filters naming an object: when only they fail, no such object is visible (404).
REFERENCES = {"journey", "stage", "touchpoint", "unit", "survey"}


def parse_filters(request: HttpRequest) -> MetricFilter | Status[Problem]:
    """The filter, or 404 when only a named object is not visible, else 422 with field errors."""
    form = MetricFilterForm(request.GET, user=request.user)
    if form.is_valid():
        return form.metric_filter()
    errors = {field: " ".join(str(e) for e in messages) for field, messages in form.errors.items()}
    status = 404 if set(errors) <= REFERENCES else 422
    return Status(status, Problem(detail="Invalid filters.", errors=errors))


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
        "adjusted": f.adjusted or None,
    }


@router.get("/summary", response={200: dict[str, Any], 404: Problem, 422: Problem})
def summary(request: HttpRequest, filters: Query[MetricQuery]) -> Any:
    """Headline NPS / CSAT / CES / eNPS with margins, change vs the previous period, targets,
    response rate, negative comments, and the trend per period (``by``)."""
    require(request, "metrics.view_counts")
    f = parse_filters(request)
    if isinstance(f, Status):
        return f
    card = dashboards.scorecard(f, request.user)
    series = {k[0]: t for k, t in queries.totals_by(f, request.user, by=f.by).items()}
    return {
        "filter": _filter_dict(f),
        "summary": card.as_dict(),
        "trend": dashboards.trend_rows(series, f),
    }


@router.get("/touchpoints", response={200: dict[str, Any], 404: Problem, 422: Problem})
def touchpoints(request: HttpRequest, filters: Query[MetricQuery]) -> Any:
    """Metrics per touchpoint (filter by ``journey`` to get one journey map)."""
    require(request, "metrics.view_counts")
    f = parse_filters(request)
    if isinstance(f, Status):
        return f
    objects = Touchpoint.objects.select_related("stage").in_bulk()
    cuts = dashboards.breakdown(f, request.user, "touchpoint_id", objects)
    rows = [
        {**c.as_dict(), "stage": c.obj.stage.name, "moment_of_truth": c.obj.is_moment_of_truth}
        for c in cuts
    ]
    return {"filter": _filter_dict(f), "touchpoints": rows}


@router.get("/league", response={200: dict[str, Any], 404: Problem, 422: Problem})
def league(
    request: HttpRequest, filters: Query[MetricQuery], kind: OrgUnit.Kind = OrgUnit.Kind.STORE
) -> Any:
    """Org units of one ``kind`` (default stores), subtree rolled up, ranked by NPS."""
    require(request, "metrics.view_counts")
    f = parse_filters(request)
    if isinstance(f, Status):
        return f
    cuts = dashboards.league(f, request.user, kind)
    rows = [{**c.as_dict(), "code": c.obj.code, "rank": c.extra["rank"]} for c in cuts]
    return {"filter": _filter_dict(f), "units": rows}
