"""Pulse results in the REST API (``/api/pulses``): the same suppressed groups as the page."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from pulso.core.apiutils import Id, require
from pulso.pulses.exports import result_rows
from pulso.pulses.models import Pulse
from pulso.pulses.results import pulses_visible_to

VIEW = "pulses.view_results"

router = Router(tags=["pulses"])
routers: list[tuple[str, Router]] = [("/pulses", router)]


class PulseOut(Schema):
    id: int
    name: str
    org_unit_id: int
    is_open: bool
    created_at: datetime


class PulseGroupOut(Schema):
    unit_id: int
    unit: str
    tenure: str
    suppressed: bool
    n: int | None
    enps: float | None
    engagement: float | None
    items: dict[str, float | None]


@router.get("/", response=list[PulseOut])
def list_pulses(request: HttpRequest) -> QuerySet[Pulse]:
    require(request, VIEW)
    return pulses_visible_to(request.user)


@router.get("/{pulse_id}/results", response=list[PulseGroupOut])
def pulse_results(request: HttpRequest, pulse_id: Id) -> list[dict[str, object]]:
    """Groups below the threshold, or that would reveal one by subtraction, have no figures."""
    require(request, VIEW)
    pulse = get_object_or_404(pulses_visible_to(request.user), pk=pulse_id)
    return result_rows(pulse, request.user)
