"""Brand reputation in the REST API (``/api/reputation``): mentions with their site, address,
reach and brands; the reputation index and share of voice; a batch of mentions in.

Reads are scoped by the access policy and filtered as the pages are (period, site or network,
org unit).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from pulso.accounts.models import OrgUnit
from pulso.core.access import get_object_or_404_for
from pulso.core.apiutils import (
    BATCH_ERRORS,
    Id,
    Pagination,
    Problem,
    batch_items,
    read_json_body,
    require,
)
from pulso.feedback.api import BatchOut
from pulso.feedback.ingest import MAX_BATCH
from pulso.feedback.privacy import comment_privacy
from pulso.lib.personal_data import mask_contact
from pulso.metrics.filters import default_range, fit_period
from pulso.reputation.actions import do_ingest_mentions
from pulso.reputation.forms import MentionFilter
from pulso.reputation.index import IndexCell, index_by, mention_rows
from pulso.reputation.models import Mention
from pulso.reputation.share import share_of_voice

VIEW = "reputation.view_mention"
IMPORT = "feedback.import_feedback"

router = Router(tags=["reputation"])
routers: list[tuple[str, Router]] = [("/reputation", router)]


class ReputationMentionOut(Schema):
    id: int = Field(
        ..., alias="feedback_id", description="The id of the mention's feedback record."
    )
    source: str = Field(..., alias="feedback.source")
    network: str
    url: str
    author_handle: str
    reach: int | None
    text: str
    rating: Decimal | None = Field(..., alias="feedback.rating")
    rating_scale_max: int = Field(..., alias="feedback.rating_scale_max")
    language: str = Field(..., alias="feedback.language")
    org_unit_id: int | None = Field(..., alias="feedback.org_unit_id")
    received_at: dt.datetime = Field(..., alias="feedback.received_at")
    brands: list[str]
    conversation_id: int | None

    @staticmethod
    def resolve_text(obj: Mention, context: dict[str, Any]) -> str:
        record = obj.feedback
        privacy = comment_privacy(context["request"].user)
        return privacy.text(record.text, feedback_id=record.pk, unit_id=record.org_unit_id)

    @staticmethod
    def resolve_author_handle(obj: Mention, context: dict[str, Any]) -> str:
        privacy = comment_privacy(context["request"].user)
        if privacy.personal.in_unit(obj.feedback.org_unit_id):
            return obj.author_handle
        return mask_contact(obj.author_handle)

    @staticmethod
    def resolve_brands(obj: Mention) -> list[str]:
        return sorted(brand.name for brand in obj.brands.all())


class MentionFilters(Schema):
    start: dt.date | None = Field(None, description="First day (default: a year before `end`).")
    end: dt.date | None = Field(None, description="Last day (default: today).")
    by: str | None = Field(None, pattern="^(month|week)$", description="Index and share periods.")
    network: str | None = Field(None, max_length=100, description="Site or network, exactly.")
    unit: str | None = Field(None, max_length=64, description="An org unit's code (and below).")


class IndexCellOut(Schema):
    key: str = Field(..., description="The period's first day, the site, or the unit.")
    label: str
    index: float | None = Field(..., description="0–100; none when no mention has a score.")
    low: float | None
    high: float | None
    mentions: int
    scored: int
    positive: int


class ReputationIndexOut(Schema):
    mentions: int
    periods: list[IndexCellOut]
    networks: list[IndexCellOut]
    units: list[IndexCellOut]


class BrandShareOut(Schema):
    brand: str
    is_own: bool
    mentions: int
    positive: int
    share: float | None = Field(..., description="0–1 of the period's mentions.")
    positive_share: float | None


def _filtered(request: HttpRequest, filters: MentionFilters) -> MentionFilter:
    """The pages' filter from the query: the period fitted as the dashboards fit theirs (a
    start after the end is the empty period), a site matched exactly, a unit the caller may
    see (404 otherwise)."""
    end = fit_period(filters.end, filters.end)[1] if filters.end else timezone.localdate()
    start, end, _adjusted = fit_period(filters.start or default_range(end)[0], end)
    unit = None
    if filters.unit:
        unit = OrgUnit.objects.visible_to(request.user).filter(code=filters.unit).first()
        if unit is None:
            raise HttpError(404, _("No such org unit."))
    return MentionFilter(start, end, filters.by or "month", filters.network or "", unit)


def _cell(cell: IndexCell) -> dict[str, Any]:
    key = cell.key.isoformat() if isinstance(cell.key, dt.date) else str(cell.key)
    return {"key": key, "label": cell.label, "index": cell.index, "low": cell.low,
            "high": cell.high, "mentions": cell.n, "scored": cell.scored,
            "positive": cell.positive}  # fmt: skip


def _visible(request: HttpRequest) -> QuerySet[Mention]:
    return Mention.objects.visible_to(request.user).select_related("feedback")


@router.get("/mentions", response={200: list[ReputationMentionOut], 404: Problem})
@paginate(Pagination)
def list_mentions(request: HttpRequest, filters: Query[MentionFilters]) -> QuerySet[Mention]:
    """Mentions the caller may see, newest first, of the period, site and unit."""
    require(request, VIEW)
    chosen = _filtered(request, filters)
    mentions = chosen.apply(_visible(request)).prefetch_related("brands")
    return mentions.order_by("-feedback__received_at", "-pk")


@router.post(
    "/mentions/batch",
    response={200: BatchOut, 207: BatchOut, **BATCH_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["items"],
                        "properties": {
                            "items": {
                                "type": "array",
                                "maxItems": MAX_BATCH,
                                "items": {
                                    "allOf": [
                                        {"$ref": "#/components/schemas/FeedbackIn"},
                                        {
                                            "type": "object",
                                            "properties": {
                                                "url": {"type": "string", "maxLength": 500},
                                                "author_handle": {
                                                    "type": "string",
                                                    "maxLength": 200,
                                                },
                                                "reach": {
                                                    "type": "integer",
                                                    "minimum": 0,
                                                    "maximum": 10**12,
                                                },
                                            },
                                        },
                                    ],
                                },
                            }
                        },
                    }
                }
            },
        }
    },  # fmt: skip
)
def post_mentions_batch(request: HttpRequest) -> Status[Any]:
    """Store up to 10,000 reviews or social posts, each a feedback item (source ``review`` or
    ``social``) with its address (``url``), the author's handle and reach. An item is stored
    once per source and external id (or address); each invalid one is reported by index.

    200 when every item was accepted, 207 when some were rejected.
    """
    require(request, IMPORT)
    items = batch_items(read_json_body(request), MAX_BATCH)
    result = do_ingest_mentions(items, actor=request.user, origin="api")
    return Status(207 if result.rejected else 200, result.as_dict())


@router.get(
    "/mentions/{mention_id}", response={200: ReputationMentionOut, 403: Problem, 404: Problem}
)
def get_mention(request: HttpRequest, mention_id: Id) -> Mention:
    require(request, VIEW)
    return get_object_or_404_for(
        Mention.objects.select_related("feedback").prefetch_related("brands"),
        request.user, VIEW, pk=mention_id,
    )  # fmt: skip


@router.get("/index", response={200: ReputationIndexOut, 404: Problem})
def reputation_index(request: HttpRequest, filters: Query[MentionFilters]) -> Any:
    """The reputation index (0–100, with its 95 % interval) per period, site and unit."""
    require(request, VIEW)
    chosen = _filtered(request, filters)
    rows = mention_rows(chosen.apply(Mention.objects.visible_to(request.user)))
    return {
        "mentions": len(rows),
        "periods": [_cell(c) for c in index_by(rows, "period", chosen.by)],
        "networks": [_cell(c) for c in index_by(rows, "network")],
        "units": [_cell(c) for c in index_by(rows, "unit")],
    }


@router.get("/share", response={200: list[BrandShareOut], 404: Problem})
def reputation_share(request: HttpRequest, filters: Query[MentionFilters]) -> Any:
    """Share of voice over the period: each brand's mentions and positive mentions."""
    require(request, VIEW)
    chosen = _filtered(request, filters)
    totals, _chart = share_of_voice(chosen.apply(Mention.objects.visible_to(request.user)))
    return [
        {
            "brand": s.brand,
            "is_own": s.is_own,
            "mentions": s.mentions,
            "positive": s.positive,
            "share": s.share,
            "positive_share": s.positive_share,
        }  # fmt: skip
        for s in totals
    ]
