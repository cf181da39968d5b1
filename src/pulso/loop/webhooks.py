"""The closed loop's webhooks: a rule queues a delivery (kept byte-for-byte, deduplicated), the
outbox retries it with backoff, :mod:`pulso.core.webhooks` signs and POSTs it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from pulso.core import outbox
from pulso.core.webhooks import post_signed
from pulso.loop.models import Webhook, WebhookDelivery


def queue_webhook(
    webhook: Webhook, event: str, payload: dict[str, Any], dedupe_key: str | None = None
) -> WebhookDelivery | None:
    if not webhook.is_active:
        return None
    if dedupe_key and WebhookDelivery.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    body = json.dumps(
        {"event": event, **payload}, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event=event,
        body=body,
        dedupe_key=dedupe_key,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _enqueue(delivery_id: int) -> None:
    from pulso.loop.tasks import deliver_webhook

    deliver_webhook.enqueue(delivery_id)


def _post(delivery: WebhookDelivery, now: datetime) -> int:
    """POST the stored body, signed with the webhook's secret; returns the HTTP status."""
    return post_signed(
        delivery.webhook.url,
        delivery.webhook.secret,
        delivery.body.encode(),
        event=delivery.event,
        delivery_id=delivery.pk,
        now=now,
    )


def deliver(delivery_id: int, now: datetime | None = None) -> bool:
    """One attempt; True on a 2xx answer. Failures are logged on the delivery and retried."""
    now = now or timezone.now()
    entry = outbox.claim(WebhookDelivery, delivery_id, now)
    if entry is None:
        return False
    assert isinstance(entry, WebhookDelivery)
    try:
        status = _post(entry, now)
    except (OSError, ValueError) as exc:  # refused, timeout, DNS, bad URL
        outbox.record_failure(entry, f"{type(exc).__name__}: {exc}", now, last_status_code=None)
        return False
    if 200 <= status < 300:
        outbox.record_success(entry, now, last_status_code=status)
        return True
    outbox.record_failure(entry, f"HTTP {status}", now, last_status_code=status)
    return False


def deliver_due(now: datetime | None = None) -> int:
    now = now or timezone.now()
    ids = list(WebhookDelivery.objects.due(now).order_by("pk").values_list("pk", flat=True)[:200])
    return sum(deliver(pk, now) for pk in ids)
