"""Initiatives and pilots in the REST API (``/api/initiatives``), scoped by the access policy."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from pulso.core.access import get_object_or_404_for, restrict
from pulso.core.apiutils import Id, Pagination, require
from pulso.initiatives import effects
from pulso.initiatives.models import Initiative, Pilot

VIEW = "initiatives.view_initiative"

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
