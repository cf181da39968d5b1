"""Invitations in the REST API (mounted at /api/invitations/ by pulso.customers.api).

Listing is scoped with ``.visible_to(user)``; creating invitations and marking bounces needs
``surveys.send_invitation`` on the survey's unit and on the unit named.
"""

from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic.json_schema import JsonDict

from pulso.accounts.models import OrgUnit
from pulso.core.apiutils import MAX_ID, Id, Pagination, Problem, require
from pulso.customers.models import Customer
from pulso.surveys.distribution import actions
from pulso.surveys.distribution.rates import GROUPS, response_rates
from pulso.surveys.distribution.rules import detail_label
from pulso.surveys.models import Invitation, Survey

router = Router(tags=["invitations"])
MAX_BATCH = 10_000
SEND = "surveys.send_invitation"
_GROUP = " *(" + "|".join(GROUPS) + ") *"
BY_PATTERN = f"^{_GROUP}(,{_GROUP})*$"
StatusName = Literal["queued", "sent", "opened", "answered", "bounced", "failed", "suppressed"]


class InvitationOut(Schema):
    id: int
    survey_id: int
    customer_id: int
    org_unit_id: int | None
    channel: str
    status: str
    status_detail: str
    status_detail_label: str
    created_at: datetime
    sent_at: datetime | None
    reminded_at: datetime | None
    opened_at: datetime | None
    answered_at: datetime | None

    @staticmethod
    def resolve_status_detail_label(obj: Invitation) -> str:
        return detail_label(obj.status_detail)


class InvitationFilters(Schema):
    survey: Id | None = None
    status: StatusName | None = None
    channel: str | None = None
    created_from: date | None = None
    created_to: date | None = None


# The audience: customers by id, by external id and/or a segment, at least one of them.
AUDIENCE: JsonDict = {
    "anyOf": [
        {"required": ["customer_ids"], "properties": {"customer_ids": {"minItems": 1}}},
        {"required": ["external_ids"], "properties": {"external_ids": {"minItems": 1}}},
        {"required": ["segment"], "properties": {"segment": {"type": "string", "minLength": 1}}},
    ]
}


class InviteIn(Schema):
    """Who to invite to a survey: ``customer_ids``, ``external_ids`` and/or a ``segment``, at
    least one of them."""

    model_config = ConfigDict(json_schema_extra=AUDIENCE)

    survey_id: Id
    channel: Literal["email", "sms"]
    customer_ids: list[Id] = Field(default_factory=list, max_length=MAX_BATCH)
    external_ids: list[str] = Field(default_factory=list, max_length=MAX_BATCH)
    segment: str | None = Field(
        None, description="Every customer of this segment", validate_default=True
    )
    org_unit_id: Id | None = None

    @field_validator("segment")
    @classmethod
    def _has_audience(cls, segment: str | None, info: ValidationInfo) -> str | None:
        if not (segment or info.data.get("customer_ids") or info.data.get("external_ids")):
            raise ValueError(_("Give customer_ids, external_ids or a segment."))
        return segment


class SuppressedOut(Schema):
    customer_id: int
    reason: str
    reason_label: str


class InviteOut(Schema):
    queued: list[InvitationOut]
    suppressed: list[SuppressedOut]
    unknown_customer_ids: list[int]
    unknown_external_ids: list[str]


class BounceIn(Schema):
    detail: str = Field("", max_length=300)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@router.get("/", response=list[InvitationOut])
@paginate(Pagination)
def list_invitations(
    request: HttpRequest, filters: Query[InvitationFilters]
) -> QuerySet[Invitation]:
    require(request, "surveys.view_invitation")
    invitations = Invitation.objects.visible_to(request.user).order_by("-created_at", "-pk")
    if filters.survey is not None:
        invitations = invitations.filter(survey_id=filters.survey)
    if filters.status:
        invitations = invitations.filter(status=filters.status)
    if filters.channel:
        invitations = invitations.filter(channel=filters.channel)
    if filters.created_from:
        invitations = invitations.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to:
        end = _day_start(filters.created_to) + timedelta(days=1)
        invitations = invitations.filter(created_at__lt=end)
    return invitations


@router.get("/rates", response=list[dict[str, Any]])
def invitation_rates(
    request: HttpRequest,
    by: str = Query("survey,channel", pattern=BY_PATTERN),
    survey: int | None = Query(None, ge=1, le=2**62),
) -> list[dict[str, Any]]:
    """Response rates; ``by`` is a comma-separated list of survey, channel, org_unit, day,
    week, month."""
    require(request, "surveys.view_invitation")
    keys = [key.strip() for key in by.split(",") if key.strip()]
    if not keys or any(key not in GROUPS for key in keys):
        raise HttpError(422, f"'by' takes a comma-separated list of {', '.join(GROUPS)}.")
    invitations = Invitation.objects.visible_to(request.user)
    if survey is not None:
        invitations = invitations.filter(survey_id=survey)
    return response_rates(invitations, by=keys)


def _audience(payload: InviteIn) -> tuple[list[Customer], list[int], list[str]]:
    customers: dict[int, Customer] = {}
    by_id = Customer.objects.in_bulk(payload.customer_ids)
    customers.update(by_id)
    by_external = {
        c.external_id: c for c in Customer.objects.filter(external_id__in=payload.external_ids)
    }
    customers.update({c.pk: c for c in by_external.values()})
    if payload.segment:
        segment = Customer.objects.filter(segment=payload.segment)[: MAX_BATCH + 1]
        customers.update({c.pk: c for c in segment})
    unknown_ids = [pk for pk in payload.customer_ids if pk not in by_id]
    unknown_external = [e for e in payload.external_ids if e not in by_external]
    return list(customers.values()), unknown_ids, unknown_external


@router.post("/", response={201: InviteOut, 422: Problem})
def create_invitations(request: HttpRequest, payload: InviteIn) -> Status[Any]:
    """Invite customers (by id, external id and/or segment: the schema requires at least one
    of them, else 422); suppressed ones say why."""
    require(request, SEND)
    survey = Survey.objects.visible_to(request.user).filter(pk=payload.survey_id).first()
    if survey is None:
        raise HttpError(404, "Unknown survey_id.")
    require(request, SEND, survey)
    unit = None
    if payload.org_unit_id is not None:
        unit = OrgUnit.objects.visible_to(request.user).filter(pk=payload.org_unit_id).first()
        if unit is None:
            raise HttpError(404, "Unknown org_unit_id.")
        require(request, SEND, unit)
    customers, unknown_ids, unknown_external = _audience(payload)
    if len(customers) > MAX_BATCH:
        raise HttpError(413, f"At most {MAX_BATCH} customers per request.")
    result = actions.do_invite_customers(survey, customers, payload.channel, unit, request.user)
    suppressed = [
        {
            "customer_id": inv.customer_id,
            "reason": inv.status_detail,
            "reason_label": detail_label(inv.status_detail),
        }
        for inv in result.suppressed
    ]
    body = {
        "queued": result.queued,
        "suppressed": suppressed,
        "unknown_customer_ids": unknown_ids,
        "unknown_external_ids": unknown_external,
    }
    return Status(201, body)


@router.get("/{invitation_id}", response=InvitationOut)
def get_invitation(
    request: HttpRequest, invitation_id: int = Path(..., ge=1, le=MAX_ID)
) -> Invitation:
    require(request, "surveys.view_invitation")
    return _get(request, invitation_id)


@router.post("/{invitation_id}/bounce", response={200: InvitationOut, 409: Problem})
def mark_bounced(
    request: HttpRequest, payload: BounceIn, invitation_id: int = Path(..., ge=1, le=MAX_ID)
) -> Invitation:
    """Record a bounce reported by the mail server or SMS provider."""
    require(request, SEND)
    invitation = _get(request, invitation_id, SEND)
    try:
        return actions.do_mark_bounced(invitation, payload.detail, request.user)
    except actions.InvitationStateError as exc:
        raise HttpError(409, f"An invitation in status {invitation.status} cannot bounce.") from exc


def _get(request: HttpRequest, invitation_id: int, action: str = "view") -> Invitation:
    invitation = Invitation.objects.restrict(request.user, action).filter(pk=invitation_id).first()
    if invitation is None:
        raise HttpError(404, "Invitation not found.")
    return invitation
