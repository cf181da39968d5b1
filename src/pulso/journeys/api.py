"""Journeys in the REST API (read-only)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from pulso.core.apiutils import require
from pulso.journeys.models import Journey, Stage, Touchpoint

router = Router(tags=["journeys"])
routers: list[tuple[str, Router]] = [("/journeys", router)]


class TouchpointOut(Schema):
    id: int
    name: str
    channel: str
    interaction_type: str
    owner_unit_id: int | None
    is_moment_of_truth: bool
    description: str


class StageOut(Schema):
    id: int
    name: str
    position: int
    touchpoints: list[TouchpointOut]


class JourneyOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    stages: list[StageOut]


def _journeys() -> QuerySet[Journey]:
    touchpoints = Touchpoint.objects.filter(is_archived=False)
    stages = Stage.objects.filter(is_archived=False).prefetch_related(
        Prefetch("touchpoints", queryset=touchpoints)
    )
    return Journey.objects.filter(is_archived=False).prefetch_related(
        Prefetch("stages", queryset=stages)
    )


@router.get("/", response=list[JourneyOut])
def list_journeys(request: HttpRequest) -> QuerySet[Journey]:
    require(request, "journeys.view_journey")
    return _journeys()


@router.get("/{slug}", response=JourneyOut)
def get_journey(request: HttpRequest, slug: str) -> Journey:
    require(request, "journeys.view_journey")
    return get_object_or_404(_journeys(), slug=slug)
