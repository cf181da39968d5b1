"""Background tasks of survey distribution (django-tasks); they take ids and are idempotent."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from pulso.surveys.distribution import actions


@task()
def send_invitation(invitation_id: int) -> str | None:
    return actions.do_send_invitation(invitation_id)


@task()
def send_reminder(invitation_id: int) -> bool:
    return actions.do_send_reminder(invitation_id)


def send_due_reminders(now: datetime) -> int:
    """Queue the one reminder of every invitation that is due; the scheduler calls this daily.

    Returns how many reminders were queued. Running it twice is harmless: each reminder task
    claims its invitation before sending.
    """
    ids = list(actions.due_reminders(now).values_list("pk", flat=True))
    for invitation_id in ids:
        send_reminder.enqueue(invitation_id)
    return len(ids)
