"""Unsolicited feedback in the REST API: store items one by one or in batches, list them."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pulso.core.apiutils import (
    BATCH_ERRORS,
    Id,
    Pagination,
    Problem,
    batch_body,
    batch_items,
    read_json_body,
    require,
)
from pulso.feedback import actions
from pulso.feedback.ingest import (
    MAX_BATCH,
    FeedbackIn,
    InvalidItem,
    OutsideUnits,
    UnknownReference,
)
from pulso.feedback.models import Feedback
from pulso.feedback.privacy import comment_privacy
from pulso.lib.personal_data import mask_contact

router = Router(tags=["feedback"])
# An item naming another unit is refused for the caller's role; one naming no such unit, 404.
ITEM_STATUS = {OutsideUnits: 403, UnknownReference: 404}
routers: list[tuple[str, Router]] = [("/feedback", router)]


class FeedbackOut(Schema):
    id: int
    source: str
    source_name: str
    external_id: str | None
    channel: str
    text: str
    rating: Decimal | None
    rating_scale_max: int
    author: str
    customer_id: int | None
    touchpoint_id: int | None
    org_unit_id: int | None
    language: str
    received_at: dt.datetime

    @staticmethod
    def resolve_text(obj: Feedback, context: dict[str, Any]) -> str:
        privacy = comment_privacy(context["request"].user)
        return privacy.text(obj.text, feedback_id=obj.pk, unit_id=obj.org_unit_id)

    @staticmethod
    def resolve_author(obj: Feedback, context: dict[str, Any]) -> str:
        privacy = comment_privacy(context["request"].user)
        if privacy.personal.in_unit(obj.org_unit_id):
            return obj.author
        return mask_contact(obj.author)


class Rejected(Schema):
    index: int
    errors: dict[str, str]


class BatchOut(Schema):
    accepted: int
    created: int
    updated: int
    rejected: list[Rejected]


class FeedbackFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    source: Feedback.Source | None = None
    channel: str | None = None
    touchpoint: Id | None = None
    org_unit: Id | None = None


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_feedback(items: QuerySet[Feedback], filters: FeedbackFilters) -> QuerySet[Feedback]:
    if filters.date_from:
        items = items.filter(received_at__gte=day_start(filters.date_from))
    if filters.date_to and filters.date_to < dt.date.max:
        items = items.filter(received_at__lt=day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.org_unit is not None:
        items = items.filter(org_unit__path__contains=f"/{filters.org_unit}/")
    exact: dict[str, object] = {"source": filters.source, "channel": filters.channel}
    exact["touchpoint_id"] = filters.touchpoint
    return items.filter(**{key: value for key, value in exact.items() if value is not None})


@router.post(
    "/", response={200: FeedbackOut, 201: FeedbackOut, 403: Problem, 404: Problem, 422: Problem}
)
def post_feedback(request: HttpRequest, payload: FeedbackIn) -> Status[Any]:
    """Store one item; an item with a known source and external id updates the stored one."""
    require(request, "feedback.import_feedback")
    try:
        item, created = actions.do_record_feedback(payload, actor=request.user)
    except InvalidItem as exc:
        status = ITEM_STATUS.get(type(exc), 422)
        return Status(status, {"detail": _("The item is not valid."), "errors": exc.errors})
    return Status(201 if created else 200, item)


@router.post(
    "/batch",
    response={200: BatchOut, 207: BatchOut, **BATCH_ERRORS},
    openapi_extra={"requestBody": batch_body("FeedbackIn", MAX_BATCH)},
)
def post_feedback_batch(request: HttpRequest) -> Status[Any]:
    """Store up to 10,000 items: valid ones are kept, each invalid one is reported by index.

    200 when every item was accepted, 207 when some were rejected.
    """
    require(request, "feedback.import_feedback")
    items = batch_items(read_json_body(request), MAX_BATCH)
    result = actions.do_ingest_feedback(items, actor=request.user)
    return Status(207 if result.rejected else 200, result.as_dict())


@router.get("/", response=list[FeedbackOut])
@paginate(Pagination)
def list_feedback(request: HttpRequest, filters: Query[FeedbackFilters]) -> QuerySet:
    """Feedback items the caller may see, newest first, filtered."""
    require(request, "feedback.view_feedback")
    items = Feedback.objects.unsolicited().visible_to(request.user).order_by("-received_at", "-pk")
    return filter_feedback(items, filters)


@router.get("/{item_id}", response={200: FeedbackOut, 404: Problem})
def get_feedback(request: HttpRequest, item_id: int = Path(..., ge=1, le=2**62)) -> Feedback:
    require(request, "feedback.view_feedback")
    return get_object_or_404(Feedback.objects.unsolicited().visible_to(request.user), pk=item_id)
