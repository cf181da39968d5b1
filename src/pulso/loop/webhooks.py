"""Outgoing webhooks: JSON events signed with HMAC-SHA256, retried with backoff, logged.

Each POST carries ``X-Pulso-Signature: sha256=<hex>`` (HMAC-SHA256 of the raw body with the
webhook's secret), ``X-Pulso-Timestamp`` (Unix time of the attempt), ``X-Pulso-Event`` and
``X-Pulso-Delivery`` (the delivery id, identical across retries so receivers can deduplicate).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from pulso.core import outbox
from pulso.loop.models import Webhook, WebhookDelivery

TIMEOUT_SECONDS = 10
USER_AGENT = "Pulso-Webhooks/1"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does; used by our tests and documented for integrators."""
    return hmac.compare_digest(sign(secret, body), signature)


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
    """POST the stored body; return the HTTP status (raises on network errors)."""
    body = delivery.body.encode()
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Pulso-Event": delivery.event,
            "X-Pulso-Delivery": str(delivery.pk),
            "X-Pulso-Timestamp": str(int(now.timestamp())),
            "X-Pulso-Signature": sign(delivery.webhook.secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:  # noqa: S310
            return int(reply.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


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
