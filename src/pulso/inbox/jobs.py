"""The inbox's periodic jobs (registered in ``InboxConfig.ready``)."""

from __future__ import annotations

from datetime import datetime

from pulso.inbox import mail


def fetch_mail(now: datetime) -> int:
    """Every minute: the mailbox's new mail into conversations (nothing when not configured)."""
    return mail.fetch_new_mail()
