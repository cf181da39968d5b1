"""Liveness of ``pulso worker`` processes, and the retry of tasks whose worker died.

django-tasks-db records which worker claimed a task (``worker_ids``) but not whether that worker
still lives, so a worker killed mid-task leaves its task RUNNING for ever (RQ, for its part,
fails such a job; see :mod:`pulso.core.rqjobs`). Each ``pulso worker``
therefore keeps a :class:`~pulso.core.models.WorkerHeartbeat` row fresh; on start and every
minute it puts back to READY the running tasks whose worker is gone: its process no longer
exists on this host, or its heartbeat is older than ``PULSO_WORKER_STALE_SECONDS``. Tasks
claimed by a worker that never reported (a bare ``db_worker``) are retried only after
``PULSO_TASK_ORPHAN_SECONDS``. Retried tasks run again from the start, which is why every task
and event subscriber is idempotent.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from pulso.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10.0


def stale_after() -> timedelta:
    return timedelta(seconds=settings.PULSO_WORKER_STALE_SECONDS)


def orphan_after() -> timedelta:
    return timedelta(seconds=settings.PULSO_TASK_ORPHAN_SECONDS)


def new_worker_id() -> str:
    """Unique across hosts and restarts (django-tasks-db allows 64 characters)."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:12]}"


def beat(worker_id: str, now: datetime | None = None) -> None:
    """Say that this worker is alive."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now, "hostname": socket.gethostname(), "pid": os.getpid()},
        create_defaults={
            "seen_at": now,
            "started_at": now,
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
        },
    )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly leaves no heartbeat behind."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def is_alive(worker: WorkerHeartbeat, now: datetime) -> bool:
    """A recent heartbeat, and (on this host) a process that still exists."""
    if worker.hostname == socket.gethostname() and not _process_exists(worker.pid):
        return False
    return worker.seen_at >= now - stale_after()


def _stale_task_ids(now: datetime, alive: set[str], known: set[str]) -> list[str]:
    from django_tasks_db.models import DBTaskResult

    stale = []
    running = DBTaskResult.objects.running().values_list("pk", "worker_ids", "started_at")
    for pk, worker_ids, started_at in running:
        last = worker_ids[-1] if worker_ids else ""
        if last in alive:
            continue
        if last not in known and started_at is not None and started_at > now - orphan_after():
            continue  # a worker that does not report: only a long silence counts
        stale.append(str(pk))
    return stale


def requeue_stale_tasks(now: datetime | None = None) -> int:
    """Put the running tasks of dead workers back in the queue (the database queue, or RQ's on
    Redis); returns how many."""
    now = now or timezone.now()
    workers = list(WorkerHeartbeat.objects.all())
    alive = {w.worker_id for w in workers if is_alive(w, now)}
    known = {w.worker_id for w in workers}
    if settings.TASKS_BACKEND == "rq":
        from pulso.core import rqjobs

        requeued = rqjobs.requeue_abandoned(alive, known)
    else:
        requeued = _requeue_database_tasks(now, alive, known)
    dead = [w.pk for w in workers if w.worker_id not in alive]
    WorkerHeartbeat.objects.filter(pk__in=dead).delete()
    return requeued


def _requeue_database_tasks(now: datetime, alive: set[str], known: set[str]) -> int:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stale = _stale_task_ids(now, alive, known)
    if not stale:
        return 0
    requeued = DBTaskResult.objects.filter(pk__in=stale, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    logger.warning("Retrying %d task(s) whose worker stopped mid-task", requeued)
    return requeued


class Maintenance:
    """What ``pulso worker`` does beside running tasks: heartbeat, retries, scheduled jobs."""

    def __init__(self, worker_id: str, *, recover: bool, schedule: bool) -> None:
        self.worker_id, self.recover, self.schedule = worker_id, recover, schedule
        self.last_tick: datetime | None = None
        self.last_requeue: datetime | None = None

    def step(self, now: datetime, tick_every: timedelta, requeue_every: timedelta) -> None:
        """One pass; each part runs when its interval has passed."""
        from pulso.core import scheduler

        if self.recover:
            beat(self.worker_id, now)
            if self.last_requeue is None or now - self.last_requeue >= requeue_every:
                requeue_stale_tasks(now)
                self.last_requeue = now
        if self.schedule and (self.last_tick is None or now - self.last_tick >= tick_every):
            scheduler.tick(now)
            self.last_tick = now

    def run(self, stop: threading.Event, tick_seconds: float = 20.0) -> None:
        """Step until ``stop`` is set (in a thread of the worker)."""
        while not stop.is_set():
            try:
                self.step(timezone.now(), timedelta(seconds=tick_seconds), timedelta(minutes=1))
            except Exception:  # a database hiccup must not kill the thread
                logger.exception("Worker maintenance failed")
            finally:
                close_old_connections()
            stop.wait(HEARTBEAT_SECONDS)

    def start(self) -> threading.Event:
        """Run in a daemon thread; set the returned event to stop it."""
        stop = threading.Event()
        thread = threading.Thread(target=self.run, args=(stop,), name="pulso-maintenance")
        thread.daemon = True
        thread.start()
        return stop


def dispatch_events_until(stop: threading.Event, interval: float) -> None:
    """Turn published events into tasks every ``interval`` seconds until ``stop`` is set (in a
    thread of each worker, so that subscribers run within a second or two)."""
    from pulso.core import events

    while not stop.is_set():
        try:
            events.dispatch_all()
        except Exception:  # a database hiccup must not kill the thread
            logger.exception("Dispatching events failed")
        finally:
            close_old_connections()
        stop.wait(interval)


def start_dispatcher(interval: float) -> threading.Event:
    """Run :func:`dispatch_events_until` in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=dispatch_events_until, args=(stop, interval), name="pulso-events"
    )
    thread.daemon = True
    thread.start()
    return stop
