"""Initiatives and pilots in the REST API (``/api/initiatives``), scoped by the access policy."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pulso.accounts.models import OrgUnit
from pulso.core.access import get_object_or_404_for, restrict
from pulso.core.apiutils import Id, Pagination, Problem, require
from pulso.initiatives import effects, employees
from pulso.initiatives.forms import ComparisonForm
from pulso.initiatives.models import Initiative, Pilot
from pulso.pulses.results import pulses_visible_to

VIEW = "initiatives.view_initiative"
PULSE_RESULTS = "pulses.view_results"

router = Router(tags=["initiatives"])
routers: list[tuple[str, Router]] = [("/initiatives", router)]


class InitiativeOut(Schema):
    id: int
    title: str
    problem: str
    status: str
    org_unit_id: int
    owner_id: int | None
    cost: Decimal | None
    expected_impact: Decimal | None
    created_at: datetime


class EffectOut(Schema):
    effect: float
    low: float
    high: float
    p_value: float
    standard_error: float
    responses: int
    treated_units: int
    control_units: int


class PilotOut(Schema):
    id: int
    initiative_id: int
    name: str
    metric: str
    touchpoint_id: int | None
    treated_unit_ids: list[int]
    control_unit_ids: list[int]
    before_start: date
    before_end: date
    after_start: date
    after_end: date
    effect: EffectOut | None
    verdict: str
    verdict_text: str


@router.get("/", response=list[InitiativeOut])
@paginate(Pagination)
def list_initiatives(request: HttpRequest) -> QuerySet[Initiative]:
    require(request, VIEW)
    return restrict(Initiative.objects.all(), request.user, VIEW)


@router.get("/pilots/{pilot_id}", response=PilotOut)
def get_pilot(request: HttpRequest, pilot_id: Id) -> PilotOut:
    """A pilot with its measured effect (difference in differences) and verdict."""
    require(request, VIEW)
    pilot = get_object_or_404_for(Pilot.objects.all(), request.user, VIEW, pk=pilot_id)
    result = effects.pilot_effect(pilot, effects.pilot_answers(pilot))
    found = effects.verdict(result)
    return PilotOut(
        id=pilot.pk,
        initiative_id=pilot.initiative_id,
        name=pilot.name,
        metric=pilot.metric,
        touchpoint_id=pilot.touchpoint_id,
        treated_unit_ids=sorted(pilot.treated_units.values_list("pk", flat=True)),
        control_unit_ids=sorted(pilot.control_units.values_list("pk", flat=True)),
        before_start=pilot.before_start,
        before_end=pilot.before_end,
        after_start=pilot.after_start,
        after_end=pilot.after_end,
        effect=None
        if result is None
        else EffectOut(
            effect=result.effect,
            low=result.low,
            high=result.high,
            p_value=result.p_value,
            standard_error=result.standard_error,
            responses=result.n,
            treated_units=result.treated_units,
            control_units=result.control_units,
        ),
        verdict=found.kind,
        verdict_text=found.text,
    )


@router.get("/{initiative_id}", response=InitiativeOut)
def get_initiative(request: HttpRequest, initiative_id: Id) -> Initiative:
    require(request, VIEW)
    found: Initiative = get_object_or_404_for(
        Initiative.objects.all(), request.user, VIEW, pk=initiative_id
    )
    return found


class ComparisonQuery(Schema):
    start: date | None = Field(None, description="First day of customers' answers")
    end: date | None = Field(None, description="Last day of customers' answers")
    kind: OrgUnit.Kind | None = Field(None, description="Kind of unit compared (default: store)")


class UnitPointOut(Schema):
    unit_id: int
    unit: str
    enps: float
    employees: int
    nps: float
    customers: int


class CorrelationOut(Schema):
    r: float
    low: float
    high: float
    n: int


class ComparisonOut(Schema):
    pulse_id: int
    kind: str
    start: date
    end: date
    units: list[UnitPointOut]
    correlation: CorrelationOut | None
    reading: str


@router.get("/pulses/{pulse_id}/customers", response={200: ComparisonOut, 422: Problem})
def employees_and_customers(
    request: HttpRequest, pulse_id: Id, filters: Query[ComparisonQuery]
) -> Any:
    """Each unit's eNPS in the pulse against its customers' NPS, for the units whose pulse
    results may be shown, with Pearson's r and its 95 % interval (none below 4 units)."""
    require(request, PULSE_RESULTS)
    pulse = get_object_or_404(pulses_visible_to(request.user), pk=pulse_id)
    form = ComparisonForm(request.GET, period=employees.default_period(pulse))
    if not form.is_valid():
        errors = {name: " ".join(str(e) for e in found) for name, found in form.errors.items()}
        return Status(422, Problem(detail="Invalid filters.", errors=errors))
    data = form.cleaned_data
    found = employees.compare(pulse, request.user, data["start"], data["end"], data["kind"])
    return ComparisonOut(
        pulse_id=pulse.pk,
        kind=found.kind,
        start=found.start,
        end=found.end,
        units=[UnitPointOut(**employees.point_row(p)) for p in found.points],
        correlation=CorrelationOut(**vars(found.correlation)) if found.correlation else None,
        reading=employees.reading(found),
    )
