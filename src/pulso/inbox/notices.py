"""The inbox's emails (handovers, escalations, the satisfaction question): queued in the
caller's transaction, sent after commit, retried through the outbox like the cases' emails."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pulso.core import outbox
from pulso.core.models import OutboxEntry
from pulso.inbox.models import Conversation, Notice


def conversation_url(conversation: Conversation) -> str:
    return settings.PULSO_BASE_URL.rstrip("/") + reverse("inbox:detail", args=[conversation.pk])


def queue(
    to_email: str,
    subject: str,
    body: str,
    *,
    dedupe_key: str | None = None,
    conversation: Conversation | None = None,
) -> Notice | None:
    """Store an email to send; nothing new when ``dedupe_key`` was used already."""
    if not to_email:
        return None
    if dedupe_key and Notice.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    notice = Notice.objects.create(
        to_email=to_email,
        subject=subject[:250],
        body=body,
        dedupe_key=dedupe_key,
        conversation=conversation,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(notice.pk))
    return notice


def notify_users(users: list[Any], subject: str, body: str, **kwargs: Any) -> int:
    """One email per person with an address; ``dedupe_key`` gets each person's id appended."""
    key = kwargs.pop("dedupe_key", None)
    queued = 0
    for user in users:
        user_key = f"{key}:{user.pk}" if key else None
        queued += queue(user.email, subject, body, dedupe_key=user_key, **kwargs) is not None
    return queued


def _enqueue(notice_id: int) -> None:
    from pulso.inbox.tasks import send_notice

    send_notice.enqueue(notice_id)


def send(notice_id: int, now: datetime | None = None) -> bool:
    """One attempt; True when the mail server took it."""
    return outbox.attempt(Notice, notice_id, _send_email, now)


def _send_email(entry: OutboxEntry) -> None:
    assert isinstance(entry, Notice)
    EmailMessage(entry.subject, entry.body, settings.DEFAULT_FROM_EMAIL, [entry.to_email]).send()


def send_due(now: datetime | None = None) -> int:
    now = now or timezone.now()
    ids = list(Notice.objects.due(now).order_by("pk").values_list("pk", flat=True)[:500])
    return sum(send(pk, now) for pk in ids)
