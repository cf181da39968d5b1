"""Delivery bookkeeping shared by emails and webhooks: claim, retry with backoff, give up visibly.

An entry is claimed by pushing its ``next_attempt_at`` into the future in one UPDATE, so two
workers never send it at once, and a worker killed mid-send only delays the next attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from pulso.core.models import DeliveryStatus, OutboxEntry

CLAIM_SECONDS = 300


def max_attempts() -> int:
    return int(getattr(settings, "PULSO_DELIVERY_MAX_ATTEMPTS", 6))


def backoff(attempts: int) -> timedelta:
    """Exponential: 1, 2, 4, 8… minutes after the 1st, 2nd, 3rd… failed attempt (≤ 12 h)."""
    base = float(getattr(settings, "PULSO_DELIVERY_BACKOFF_SECONDS", 60))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 12 * 3600))


def claim(model: type[OutboxEntry], pk: int, now: datetime) -> OutboxEntry | None:
    """Take the entry for one attempt, or None if it is not due or someone else holds it."""
    taken = (
        model.objects.due(now)
        .filter(pk=pk)
        .update(  # type: ignore[attr-defined]
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS)
        )
    )
    return model.objects.get(pk=pk) if taken else None


def record_success(entry: OutboxEntry, now: datetime, **fields: object) -> None:
    entry.status = DeliveryStatus.SENT
    entry.attempts += 1
    entry.sent_at = now
    entry.next_attempt_at = None
    entry.last_error = ""
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(
        update_fields=["status", "attempts", "sent_at", "next_attempt_at", "last_error", *fields]
    )


def record_failure(entry: OutboxEntry, error: str, now: datetime, **fields: object) -> None:
    entry.attempts += 1
    entry.last_error = error[:2000]
    if entry.attempts >= max_attempts():
        entry.status = DeliveryStatus.FAILED
        entry.next_attempt_at = None
    else:
        entry.next_attempt_at = now + backoff(entry.attempts)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", *fields])


def reset_for_resend(entry: OutboxEntry) -> None:
    """Put a failed entry back in the queue for a fresh series of attempts."""
    entry.status = DeliveryStatus.PENDING
    entry.attempts = 0
    entry.next_attempt_at = timezone.now()
    entry.save(update_fields=["status", "attempts", "next_attempt_at"])


def attempt(
    model: type[OutboxEntry],
    pk: int,
    deliver: Callable[[OutboxEntry], object],
    now: datetime | None = None,
) -> bool:
    """One delivery attempt of an outbox entry: claimed, delivered by ``deliver`` (which raises
    on failure), recorded as sent or as failed with a retry; True when it went out."""
    now = now or timezone.now()
    entry = claim(model, pk, now)
    if entry is None:
        return False
    try:
        deliver(entry)
    except Exception as exc:  # noqa: BLE001 - any backend error must leave a retry, not a loss
        record_failure(entry, f"{type(exc).__name__}: {exc}", now)
        return False
    record_success(entry, now)
    return True
