"""The retry of RQ jobs whose ``pulso worker`` died mid-job (the Redis task backend).

RQ notices an abandoned job only when its heartbeat lapses (a minute and a half), and then moves
it to the failed jobs unless it was queued with retries, which django-tasks-rq does not do. Each
``pulso worker`` on RQ therefore names its RQ worker after its own heartbeat row, and puts back
in the queue the started jobs of workers that :mod:`pulso.core.workers` finds dead. A job put back
runs again from the start: tasks and event subscribers are idempotent.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

QUEUE = "default"
LOCK_SECONDS = 30


def _queue() -> Any:
    import django_rq
    from django_tasks_rq.backend import Job

    return django_rq.get_queue(QUEUE, job_class=Job)


def requeue_abandoned(alive: set[str], known: set[str]) -> int:
    """Queue again the started jobs of workers in ``known`` but not in ``alive``; returns how
    many. Two workers doing this at once take turns (a lock in Redis)."""
    from rq.exceptions import NoSuchJobError
    from rq.job import JobStatus
    from rq.registry import StartedJobRegistry

    queue = _queue()
    registry = StartedJobRegistry(queue=queue)
    requeued = 0
    with queue.connection.lock("pulso:requeue-abandoned", timeout=LOCK_SECONDS):
        for job_id in registry.get_job_ids(cleanup=False):
            try:
                job = queue.job_class.fetch(job_id, connection=queue.connection)
            except NoSuchJobError:
                continue
            worker = job.worker_name or ""
            if job.get_status() != JobStatus.STARTED or worker in alive or worker not in known:
                continue
            registry.remove_executions(job)
            queue.enqueue_job(job)
            requeued += 1
    if requeued:
        logger.warning("Retrying %d job(s) whose worker stopped mid-job", requeued)
    return requeued
