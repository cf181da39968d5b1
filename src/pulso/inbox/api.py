"""The inbox in the REST API: the signed inbound webhook of messaging channels (WhatsApp,
social messages…), ``POST /api/inbox/webhook/<channel>``.

No bearer token: the caller proves itself with ``X-Pulso-Signature: sha256=<hex>``, the
HMAC-SHA256 of the raw body with the channel's secret (see docs/inbox.md)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from pulso.core.apiutils import Problem, clean_json
from pulso.inbox import actions, channels
from pulso.inbox.models import ExternalChannel

MAX_BODY = 64 * 1024
MAX_TEXT = 5_000

router = Router(tags=["inbox"])
routers: list[tuple[str, Router]] = [("/inbox", router)]


class Received(Schema):
    conversation: int
    created: bool


def _channel(slug: str) -> ExternalChannel:
    found = ExternalChannel.objects.filter(slug=slug[:50], is_active=True).first()
    if found is None:
        raise HttpError(404, _("Unknown messaging channel."))
    return found


def _signed_body(request: HttpRequest, channel: ExternalChannel) -> bytes:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > MAX_BODY:
        raise HttpError(413, _("The request body is too large."))
    body = request.body
    if not channels.signature_ok(channel, body, request.headers.get(channels.SIGNATURE_HEADER, "")):
        raise HttpError(401, _("Missing or wrong signature."))
    return body


def _field(payload: dict[str, Any], name: str, limit: int, required: bool = True) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise HttpError(422, _("%(field)s: text of 1 to %(limit)s characters.") % {
            "field": name, "limit": limit})  # fmt: skip
    return value.strip()


@router.post(
    "/webhook/{channel}",
    auth=None,
    response={200: Received, 201: Received, 400: Problem, 401: Problem, 404: Problem,
              413: Problem, 422: Problem},
)  # fmt: skip
def receive_message(request: HttpRequest, channel: str) -> Status:
    """A customer's message from a messaging channel. Body: ``{"from": "<customer id on the
    channel>", "text": "…", "name": "…" (optional), "id": "<message id>" (optional: a message
    sent twice is stored once)}``, signed with the channel's secret. 201 when stored, 200 when
    its id was seen before."""
    found = _channel(channel)
    body = _signed_body(request, found)
    try:
        payload = clean_json(json.loads(body.decode("utf-8")), body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(400, _("The body is not valid UTF-8 JSON.")) from exc
    if not isinstance(payload, dict):
        raise HttpError(422, _("Send a JSON object."))
    conversation, created = actions.do_receive_from_channel(
        found,
        sender=_field(payload, "from", 150),
        text=_field(payload, "text", MAX_TEXT),
        name=_field(payload, "name", 200, required=False),
        message_id=_field(payload, "id", 150, required=False),
    )
    return Status(201 if created else 200, {"conversation": conversation.pk, "created": created})
