"""Background tasks of the shared infrastructure: event delivery and scheduled jobs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from pulso.core import events, scheduler


@task()
def deliver_event(name: str, subscriber: str, payload: dict[str, Any]) -> Any:
    """Run one subscriber of one published event (subscribers are idempotent)."""
    return events.deliver(name, subscriber, payload)


@task()
def run_scheduled_job(name: str) -> Any:
    return scheduler.job_function(name)(timezone.now())
