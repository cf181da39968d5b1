"""Messaging channels (WhatsApp, social messages…) reached through signed webhooks.

In: the channel POSTs each customer message to ``/api/inbox/webhook/<slug>`` with
``X-Pulso-Signature: sha256=<HMAC-SHA256 of the raw body with the channel's secret>``.
Out: an agent's reply goes through the channel's adapter; the default one POSTs it, signed the
same way, to the channel's replies URL through the outbox (retried with backoff, failures kept).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from pulso.core import outbox, webhooks
from pulso.core.models import OutboxEntry
from pulso.inbox.models import ExternalChannel, Message, OutboundMessage

SIGNATURE_HEADER = "X-Pulso-Signature"
REPLY_EVENT = "inbox.reply"

Adapter = Callable[[OutboundMessage, datetime], int]
ADAPTERS: dict[str, Adapter] = {}


class DeliveryFailed(Exception):
    """The channel did not take the message (the outbox retries it)."""


def register_adapter(name: str, adapter: Adapter) -> None:
    """Add a way for replies to leave (an app's ``ready`` may register its own)."""
    ADAPTERS[name] = adapter


def signed_post(entry: OutboundMessage, now: datetime) -> int:
    """POST the reply to the channel's replies URL, signed with its secret."""
    channel = entry.channel
    if not channel.outbound_url:
        raise DeliveryFailed("the channel has no replies URL")
    return webhooks.post_signed(
        channel.outbound_url,
        channel.secret,
        entry.body.encode(),
        event=REPLY_EVENT,
        delivery_id=entry.pk,
        now=now,
    )


register_adapter("signed_post", signed_post)


def signature_ok(channel: ExternalChannel, body: bytes, signature: str) -> bool:
    return bool(signature) and webhooks.verify(channel.secret, body, signature)


def reply_body(message: Message) -> str:
    conversation = message.conversation
    author = ""
    if message.author:
        author = message.author.get_full_name() or message.author.get_username()
    return json.dumps(
        {
            "conversation": conversation.pk,
            "to": conversation.external_id,
            "text": message.text,
            "message": message.pk,
            "agent": author,
            "sent": message.created_at.isoformat(),
        },
        ensure_ascii=False,
    )


def queue_reply(message: Message) -> OutboundMessage | None:
    """Queue an agent's message to a messaging conversation (in the caller's transaction)."""
    channel = message.conversation.external_channel
    if channel is None:
        return None
    entry = OutboundMessage.objects.create(
        message=message, channel=channel, body=reply_body(message), next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: _enqueue(entry.pk))
    return entry


def _enqueue(entry_id: int) -> None:
    from pulso.inbox.tasks import deliver_reply

    deliver_reply.enqueue(entry_id)


def _deliver(entry: OutboxEntry) -> None:
    assert isinstance(entry, OutboundMessage)
    adapter = ADAPTERS.get(entry.channel.adapter)
    if adapter is None:
        raise DeliveryFailed(f"unknown adapter {entry.channel.adapter!r}")
    status = adapter(entry, timezone.now())
    entry.last_status_code = status
    OutboundMessage.objects.filter(pk=entry.pk).update(last_status_code=status)
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}")


def deliver(entry_id: int, now: datetime | None = None) -> bool:
    """One attempt; True when the channel took the reply."""
    return outbox.attempt(OutboundMessage, entry_id, _deliver, now)


def deliver_due(now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = OutboundMessage.objects.due(now).order_by("pk").values_list("pk", flat=True)[:500]
    return sum(deliver(pk, now) for pk in list(due))
