"""Recovery of tasks whose worker died: by heartbeat age, by a vanished process, or (for a
worker that never reported) by the age of the task."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pulso.core import workers
from pulso.core.models import WorkerHeartbeat
from pulso.metrics.tasks import refresh_metrics

pytestmark = pytest.mark.django_db

NO_SUCH_PID = 2**22 + 7  # above the kernel's largest pid


def running_task(worker_id: str, started_ago: timedelta = timedelta(seconds=5)) -> str:
    result = refresh_metrics.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=[worker_id], started_at=timezone.now() - started_ago
    )
    return result.id


def heartbeat(worker_id: str, seen_ago: timedelta, pid: int, host: str = "") -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname=host or socket.gethostname(),
        pid=pid,
        seen_at=timezone.now() - seen_ago,
    )


def status(task_id: str) -> str:
    return DBTaskResult.objects.get(pk=task_id).status


def test_tasks_of_live_workers_keep_running_and_dead_ones_are_retried() -> None:
    heartbeat("alive", timedelta(seconds=5), os.getpid())
    heartbeat("silent", timedelta(minutes=5), os.getpid(), host="another-host")
    heartbeat("killed", timedelta(seconds=5), NO_SUCH_PID)
    alive, silent, killed = (running_task(w) for w in ("alive", "silent", "killed"))

    assert workers.requeue_stale_tasks() == 2

    assert (status(alive), status(silent), status(killed)) == ("RUNNING", "READY", "READY")
    assert DBTaskResult.objects.get(pk=killed).started_at is None
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    assert workers.requeue_stale_tasks() == 0  # running it again changes nothing


def test_a_worker_that_never_reported_is_trusted_until_the_orphan_age() -> None:
    recent = running_task("bare-db-worker", started_ago=timedelta(minutes=5))
    old = running_task("bare-db-worker", started_ago=timedelta(hours=2))
    assert workers.requeue_stale_tasks() == 1
    assert (status(recent), status(old)) == ("RUNNING", "READY")


def test_a_worker_beats_and_forgets_itself() -> None:
    worker_id = workers.new_worker_id()
    workers.beat(worker_id)
    first = WorkerHeartbeat.objects.get(worker_id=worker_id)
    workers.beat(worker_id, first.seen_at + timedelta(seconds=10))
    again = WorkerHeartbeat.objects.get(worker_id=worker_id)
    assert again.started_at == first.started_at and again.seen_at > first.seen_at
    assert again.pid == os.getpid() and len(worker_id) <= 64
    workers.forget(worker_id)
    assert not WorkerHeartbeat.objects.exists()
