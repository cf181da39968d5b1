"""Periodic jobs with cron expressions, registered by each app and run by ``pulso worker``.

A small loop inside the worker calls :func:`tick` every few seconds; a due job is claimed with
one conditional UPDATE of its ``next_run_at`` (so two workers never both run it, and a restart
never runs it twice) and then enqueued as a django-tasks task, which the worker executes.
Missed runs (worker down) are not replayed one by one: the job runs once and moves on.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from croniter import croniter
from django.db import transaction
from django.utils import timezone

from pulso.core.models import ScheduledJob

# name → (default cron expression, dotted path of a function taking ``now``); each app adds its
# own jobs from its ``AppConfig.ready`` through :func:`register`.
JOBS: dict[str, tuple[str, str]] = {}


def register(name: str, cron: str, function_path: str) -> None:
    """Add a periodic job (call from the app's ``AppConfig.ready``); the cron is a default that
    an administrator may change on the job's row."""
    if not croniter.is_valid(cron):
        raise ValueError(f"invalid cron expression for {name}: {cron!r}")
    JOBS[name] = (cron, function_path)


def next_run(cron: str, after: datetime) -> datetime:
    """The next time ``cron`` fires after ``after``, read in the site's local time zone."""
    return croniter(cron, timezone.localtime(after)).get_next(datetime)  # type: ignore[no-any-return]


def ensure_jobs(now: datetime) -> None:
    """Create the rows of registered jobs; an administrator may then edit the cron in the admin."""
    for name, (cron, _path) in JOBS.items():
        job, created = ScheduledJob.objects.get_or_create(
            name=name, defaults={"cron": cron, "next_run_at": next_run(cron, now)}
        )
        if not created and job.next_run_at is None:
            job.next_run_at = next_run(job.cron, now)
            job.save(update_fields=["next_run_at"])


def _claim(job: ScheduledJob, now: datetime) -> bool:
    """Move the job's next run forward, only if nobody did since we read it; enqueue it."""
    from pulso.core.tasks import run_scheduled_job

    with transaction.atomic():
        claimed = ScheduledJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
            last_run_at=now, next_run_at=next_run(job.cron, now)
        )
        if claimed:
            name = job.name
            transaction.on_commit(lambda: run_scheduled_job.enqueue(name))
    return bool(claimed)


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every job that is due; returns their names."""
    now = now or timezone.now()
    ensure_jobs(now)
    due = ScheduledJob.objects.filter(is_active=True, next_run_at__lte=now, name__in=JOBS)
    return [job.name for job in due.order_by("name") if _claim(job, now)]


def job_function(name: str) -> Callable[[datetime], Any]:
    """Only registered jobs can be run, whatever a task argument says."""
    module_path, _dot, attribute = JOBS[name][1].rpartition(".")
    return getattr(importlib.import_module(module_path), attribute)  # type: ignore[no-any-return]
