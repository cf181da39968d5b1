"""Benchmarks in the REST API: sector reference values with the caller's gaps, and their import.

The list reads the dashboards' filters (``from``, ``to``, ``journey``, ``unit``…) for the
caller's own figure; the batch takes the same fields as a file row and reports each bad item.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from pulso.benchmarks import actions, references
from pulso.benchmarks.models import ReferenceValue
from pulso.core import access
from pulso.core.apiutils import BATCH_ERRORS, Problem, batch_items, read_json_body, require
from pulso.journeys.models import Channel, InteractionType
from pulso.metrics.api import MetricQuery, parse_filters
from pulso.metrics.metrics import Totals, low_base_n

router = Router(tags=["benchmarks"])
routers: list[tuple[str, Router]] = [("/benchmarks", router)]


class ReferenceQuery(MetricQuery):
    """The dashboards' filters (for the caller's own figure) and the page of references."""

    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=500)


class ReferenceIn(Schema):
    """One reference value, as a file row holds it (numbers may be text with a decimal comma)."""

    metric: str = Field(..., description="NPS, CSAT or CES", examples=["NPS"])
    sector: str = Field(..., min_length=1, max_length=120)
    value: float | str = Field(..., description="NPS −100…100; CSAT and CES 0…100 (%)")
    source: str = Field(..., min_length=1, max_length=200)
    published_on: str = Field(..., description="yyyy-mm-dd or dd/mm/yyyy")
    interaction_type: str | None = Field(
        None, description="One of: " + ", ".join(InteractionType.values)
    )
    channel: str | None = Field(None, description="One of: " + ", ".join(Channel.values))
    label: str | None = Field(None, max_length=150)
    base_n: int | str | None = Field(None, description="Answers behind the figure, when known")
    notes: str | None = Field(None, max_length=2000)


@router.get("/references", response={200: dict[str, Any], 404: Problem, 422: Problem})
def list_references(request: HttpRequest, filters: Query[ReferenceQuery]) -> Any:
    """Reference values with the caller's figure for each (same metric, period and scope),
    the gap, and its z-test when the reference's base is known (``status``: tested, untested,
    low_base, no_data)."""
    require(request, "benchmarks.view_reference")
    f = parse_filters(request)
    if isinstance(f, Status):
        return f
    found = ReferenceValue.objects.visible_to(request.user)
    page = Paginator(found, filters.page_size).get_page(filters.page)
    if access.can(request.user, "metrics.view_counts"):
        gaps = references.gaps(page, f, request.user)
    else:
        gaps = [references.gap_of(ref, Totals()) for ref in page]
    return {
        "count": page.paginator.count,
        "page": page.number,
        "low_base_n": low_base_n(),
        "items": [g.as_dict() for g in gaps],
    }


def _batch_body() -> dict[str, Any]:
    items = {
        "type": "array",
        "maxItems": actions.MAX_BATCH,
        "items": ReferenceIn.model_json_schema(),
    }
    schema = {"type": "object", "required": ["items"], "properties": {"items": items}}
    return {"content": {"application/json": {"schema": schema}}, "required": True}


@router.post(
    "/references/batch",
    response={200: dict[str, Any], 207: dict[str, Any], **BATCH_ERRORS},
    openapi_extra={"requestBody": _batch_body()},
)
def import_references(request: HttpRequest) -> Status[Any]:
    """Store up to 5,000 reference values (one sent again with the same metric, sector, scope,
    source and date is updated); each invalid one is reported by index. 200 when all were
    accepted, else 207."""
    require(request, "benchmarks.change_reference")
    items = batch_items(read_json_body(request), actions.MAX_BATCH)
    result = actions.do_import_references(items, actor=request.user)
    return Status(207 if result.rejected else 200, result.as_dict())
