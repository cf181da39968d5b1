"""The scheduler: cron jobs claimed once, enqueued as tasks and run by ``pulso worker --batch``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pulso.core import scheduler
from pulso.core.models import ScheduledJob


def test_a_due_job_is_claimed_once_and_restarts_do_not_run_it_again(db: None) -> None:
    now = timezone.now()
    scheduler.ensure_jobs(now)
    ScheduledJob.objects.filter(name="loop.daily").update(next_run_at=now - timedelta(seconds=1))
    first = scheduler.tick(now)
    again = scheduler.tick(now + timedelta(seconds=5))  # e.g. a restarted worker
    assert "loop.daily" in first and "loop.daily" not in again
    job = ScheduledJob.objects.get(name="loop.daily")
    assert job.last_run_at == now
    assert job.next_run_at > now
    assert timezone.localtime(job.next_run_at).hour == 7


def test_an_invalid_cron_expression_is_refused(db: None) -> None:
    from django.core.exceptions import ValidationError

    job = ScheduledJob(name="x", cron="every day at 7")
    with pytest.raises(ValidationError):
        job.full_clean()
    with pytest.raises(ValueError):
        scheduler.register("x", "61 * * * *", "pulso.loop.jobs.daily")
