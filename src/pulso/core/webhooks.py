"""Signed HTTP POSTs of JSON events: the transport of every app's outgoing webhooks.

Each POST carries ``X-Pulso-Signature: sha256=<hex>`` (HMAC-SHA256 of the raw body with the
webhook's secret), ``X-Pulso-Timestamp`` (Unix time of the attempt), ``X-Pulso-Event`` and
``X-Pulso-Delivery`` (the delivery id, identical across retries so receivers can deduplicate).
Retries and the delivery log are the outbox's (:mod:`pulso.core.outbox`).
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request
from datetime import datetime

TIMEOUT_SECONDS = 10
USER_AGENT = "Pulso-Webhooks/1"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does; used by our tests and documented for integrators."""
    return hmac.compare_digest(sign(secret, body), signature)


def post_signed(
    url: str, secret: str, body: bytes, *, event: str, delivery_id: int, now: datetime
) -> int:
    """POST ``body``; return the HTTP status (raises OSError/ValueError on network errors)."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Pulso-Event": event,
            "X-Pulso-Delivery": str(delivery_id),
            "X-Pulso-Timestamp": str(int(now.timestamp())),
            "X-Pulso-Signature": sign(secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:  # noqa: S310
            return int(reply.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
