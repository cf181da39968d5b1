"""Crisis incidents in the REST API (``/api/incidents``), scoped by the access policy."""

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pulso.accounts.models import OrgUnit
from pulso.core.access import get_object_or_404_for, restrict
from pulso.core.apiutils import Id, Pagination, Problem, require
from pulso.crisis import actions
from pulso.crisis.affected import affected_customers
from pulso.crisis.models import MANAGE, VIEW, Incident
from pulso.customers.models import Customer
from pulso.journeys.models import Touchpoint
from pulso.textanalytics.models import Topic

router = Router(tags=["crisis"])
routers: list[tuple[str, Router]] = [("/incidents", router)]


class IncidentOut(Schema):
    id: int
    title: str
    description: str
    status: str
    org_unit_id: int
    topic_id: int | None
    touchpoint_id: int | None
    alert_id: int | None
    owner_id: int | None
    started_at: datetime
    ended_at: datetime | None
    resolved_at: datetime | None
    resolution: str
    postmortem: str
    created_at: datetime


class IncidentIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    org_unit: str = Field(..., min_length=1, max_length=64, description="The unit's code.")
    started_at: datetime | None = Field(
        None, description="From the year 2000 to now; by default now (without a zone: local)."
    )
    topic_id: Id | None = None
    touchpoint_id: Id | None = None
    description: str = Field("", max_length=5000)


class IncidentStatusIn(Schema):
    status: str = Field(..., description="open, investigating, mitigated or resolved.")
    resolution: str = Field("", max_length=5000, description="Needed to resolve.")
    note: str = Field("", max_length=5000)


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)


class StatusFilter(Schema):
    status: str | None = Field(None, pattern="^(open|investigating|mitigated|resolved)$")


class AffectedOut(Schema):
    id: int
    external_id: str


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def _aware(when: datetime | None) -> datetime | None:
    """A time without a zone is read in the company's; years out of range stay out of range."""
    if when is None or timezone.is_aware(when) or when.year < 2000:
        return when if when is None or timezone.is_aware(when) else when.replace(tzinfo=UTC)
    return timezone.make_aware(when)


@router.get("/", response=list[IncidentOut])
@paginate(Pagination)
def list_incidents(request: HttpRequest, filters: Query[StatusFilter]) -> QuerySet[Incident]:
    require(request, VIEW)
    incidents = restrict(Incident.objects.all(), request.user, VIEW)
    return incidents.filter(status=filters.status) if filters.status else incidents


@router.post("/", response={201: IncidentOut, 403: Problem, 422: Problem})
def open_incident(request: HttpRequest, payload: IncidentIn) -> Any:
    """Open an incident in a unit the caller may see (company-wide CX roles only)."""
    require(request, MANAGE)
    unit = restrict(OrgUnit.objects.all(), request.user, "accounts.view_orgunit").filter(
        code=payload.org_unit
    ).first()  # fmt: skip
    errors: dict[str, str] = {}
    if unit is None:
        errors["org_unit"] = _("No such org unit.")
    started = _aware(payload.started_at)
    if started is not None and not EARLIEST <= started <= timezone.now():
        errors["started_at"] = _("An incident starts between the year 2000 and now.")
    topic = Topic.objects.filter(pk=payload.topic_id).first() if payload.topic_id else None
    if payload.topic_id and topic is None:
        errors["topic_id"] = _("No such topic.")
    touchpoint = (
        Touchpoint.objects.filter(pk=payload.touchpoint_id).first()
        if payload.touchpoint_id
        else None
    )
    if payload.touchpoint_id and touchpoint is None:
        errors["touchpoint_id"] = _("No such touchpoint.")
    if errors or unit is None:
        return Status(422, {"detail": " ".join(errors.values()), "errors": errors})
    incident = actions.do_open_incident(
        payload.title, unit, request.user, started_at=started, topic=topic,
        touchpoint=touchpoint, description=payload.description,
    )  # fmt: skip
    return Status(201, incident)


@router.get("/{incident_id}", response={200: IncidentOut, 403: Problem, 404: Problem})
def get_incident(request: HttpRequest, incident_id: Id) -> Incident:
    require(request, VIEW)
    return get_object_or_404_for(Incident.objects.all(), request.user, VIEW, pk=incident_id)


@router.get("/{incident_id}/customers", response=list[AffectedOut])
@paginate(Pagination)
def list_affected(request: HttpRequest, incident_id: Id) -> QuerySet[Customer]:
    """The customers the incident affected (ids only: contact details stay in the app)."""
    require(request, VIEW)
    incident = get_object_or_404_for(Incident.objects.all(), request.user, VIEW, pk=incident_id)
    return affected_customers(incident)


def _managed(request: HttpRequest, incident_id: int) -> Incident:
    require(request, MANAGE)
    return get_object_or_404(Incident.objects.restrict(request.user, MANAGE), pk=incident_id)


@router.post(
    "/{incident_id}/status", response={200: IncidentOut, 403: Problem, 404: Problem, 409: Problem}
)
def change_status(request: HttpRequest, payload: IncidentStatusIn, incident_id: Id) -> Any:
    incident = _managed(request, incident_id)
    try:
        incident = actions.do_change_incident_status(
            incident, payload.status, request.user, resolution=payload.resolution, note=payload.note
        )
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return Status(200, incident)


@router.post(
    "/{incident_id}/notes", response={201: Problem, 403: Problem, 404: Problem, 422: Problem}
)
def add_note(request: HttpRequest, payload: NoteIn, incident_id: Id) -> Any:
    incident = _managed(request, incident_id)
    try:
        actions.do_add_incident_note(incident, payload.text, request.user)
    except ValidationError as exc:
        return Status(422, {"detail": " ".join(exc.messages), "errors": {"text": exc.messages[0]}})
    return Status(201, {"detail": _("Note added.")})
