"""Emails: queued in the database inside the caller's transaction, sent after commit, retried."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from pulso.core import outbox
from pulso.core.models import OutboxEntry
from pulso.loop.models import Case, Notification


def queue_email(
    kind: str,
    to_email: str,
    subject: str,
    body: str,
    dedupe_key: str | None = None,
    case: Case | None = None,
) -> Notification | None:
    """Store an email to send; with a ``dedupe_key`` already used, nothing new is queued."""
    if not to_email:
        return None
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    notification = Notification.objects.create(
        kind=kind,
        to_email=to_email,
        subject=subject[:250],
        body=body,
        dedupe_key=dedupe_key,
        case=case,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def notify_users(kind: str, users: list[Any], subject: str, body: str, **kwargs: Any) -> int:
    """Queue one email per user with an address; ``dedupe_key`` gets the user id appended."""
    key = kwargs.pop("dedupe_key", None)
    queued = 0
    for user in users:
        user_key = f"{key}:{user.pk}" if key else None
        if queue_email(kind, user.email, subject, body, dedupe_key=user_key, **kwargs):
            queued += 1
    return queued


def _enqueue(notification_id: int) -> None:
    from pulso.loop.tasks import send_notification

    send_notification.enqueue(notification_id)


def send(notification_id: int, now: datetime | None = None) -> bool:
    """One delivery attempt; True when the mail server accepted the message."""
    return outbox.attempt(Notification, notification_id, _send_email, now)


def _send_email(entry: OutboxEntry) -> None:
    assert isinstance(entry, Notification)
    to = [entry.to_email]
    EmailMessage(entry.subject, entry.body, settings.DEFAULT_FROM_EMAIL, to).send()


def send_due(now: datetime | None = None) -> int:
    """Attempt every email whose (re)try time has come; returns how many were sent."""
    now = now or timezone.now()
    ids = list(Notification.objects.due(now).order_by("pk").values_list("pk", flat=True)[:500])
    return sum(send(pk, now) for pk in ids)
