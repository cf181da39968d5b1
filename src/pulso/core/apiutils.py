"""Helpers shared by the REST API endpoints: bounded pagination, problems, batch bodies."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination

from pulso.core import access

# Batches of 10,000 items with long texts exceed Django's 2.5 MB default for request bodies,
# so batch endpoints read the body themselves with this (larger) limit.
MAX_BATCH_BODY = 64 * 1024 * 1024


class Pagination(PageNumberPagination):
    """Page-number pagination with bounded page numbers (huge offsets overflow SQLite)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=500)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", 50)
        kwargs.setdefault("max_page_size", 500)
        super().__init__(**kwargs)


class Problem(Schema):
    detail: str


def require(request: HttpRequest, action: str, obj_or_unit: access.Target = None) -> None:
    """403 unless the caller may do ``action`` (on the object or unit, else anywhere)."""
    if not access.can(request.user, action, obj_or_unit):
        label = access.ACTIONS[action].label
        raise HttpError(403, _("Your role does not allow this: %(action)s.") % {"action": label})


# What a batch endpoint answers when the body as a whole is unusable.
BATCH_ERRORS: dict[int, Any] = {400: Problem, 403: Problem, 413: Problem, 422: Problem}


def read_json_body(request: HttpRequest, max_bytes: int = MAX_BATCH_BODY) -> Any:
    """The decoded JSON body; 413 when too large, 400 when not UTF-8 JSON."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > max_bytes:
        raise HttpError(413, _("The request body is larger than %(mb)s MB.") % _mb(max_bytes))
    body = request.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise HttpError(413, _("The request body is larger than %(mb)s MB.") % _mb(max_bytes))
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(
            400, _("The body is not valid UTF-8 JSON: %(error)s") % {"error": exc}
        ) from exc


def batch_items(payload: Any, max_items: int) -> list[Any]:
    """The list of items of a batch body (``{"items": [...]}`` or a bare list)."""
    items = payload.get("items") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        raise HttpError(422, _('The body must be an object with an "items" list.'))
    if len(items) > max_items:
        message = _("A batch holds at most %(max)s items; this one has %(count)s. Split it.")
        raise HttpError(413, message % {"max": max_items, "count": len(items)})
    return items


def batch_body(component: str, max_items: int) -> dict[str, Any]:
    """OpenAPI request body of a batch endpoint: ``{"items": [<component>, ...]}``.

    Batch endpoints parse their body themselves (one bad item must not reject the batch), so
    ninja cannot derive this from a signature.
    """
    items = {
        "type": "array",
        "maxItems": max_items,
        "items": {"$ref": f"#/components/schemas/{component}"},
    }
    schema = {"type": "object", "required": ["items"], "properties": {"items": items}}
    return {"content": {"application/json": {"schema": schema}}, "required": True}


def _mb(max_bytes: int) -> dict[str, int]:
    return {"mb": max_bytes // (1024 * 1024)}
