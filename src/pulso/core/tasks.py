"""Background tasks of the shared infrastructure: event delivery and scheduled jobs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from pulso.core import events, scheduler


@task()
def run_subscribers(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Run every subscriber of one published event (subscribers are idempotent)."""
    return events.deliver_all(name, payload)


@task()
def deliver_event(name: str, subscriber: str, payload: dict[str, Any]) -> Any:
    """Run one subscriber of one published event again (after it failed in the event's task)."""
    return events.deliver(name, subscriber, payload)


@task()
def run_scheduled_job(name: str) -> Any:
    return scheduler.job_function(name)(timezone.now())
