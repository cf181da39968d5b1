from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks.signals import task_started

from pulso.core import events, scheduler, workers

# A batch re-runs the queue while the tasks it ran published events, at most this many times.
MAX_BATCH_ROUNDS = 20


def _beat_before_task(maintenance: workers.Maintenance, **kwargs: Any) -> None:
    workers.beat(maintenance.worker_id, timezone.now())


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks: database queue, or RQ with Redis) and the "
        "scheduler of periodic jobs; --batch runs everything due, then exits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        batch = options["batch"]
        worker_id = workers.new_worker_id()
        maintenance = workers.Maintenance(worker_id, recover=True, schedule=not batch)
        # Tasks of a worker killed mid-task go back to the queue before this one starts.
        workers.beat(worker_id)
        workers.requeue_stale_tasks()
        if batch:
            scheduler.tick()  # the jobs due now; their tasks run in this batch
        # A batch beats from this thread before each task (it is often run inside a test's or a
        # cron job's single connection); a long-running worker keeps a thread for it, and one
        # that turns published events into tasks.
        stop = None if batch else maintenance.start()
        dispatcher = None if batch else workers.start_dispatcher(min(options["interval"], 1.0))
        beat_per_task = partial(_beat_before_task, maintenance)
        if batch and settings.TASKS_BACKEND == "db":
            task_started.connect(beat_per_task, dispatch_uid=worker_id)
        try:
            self._run_tasks(worker_id, batch, options["interval"])
        finally:
            for event in (stop, dispatcher):
                if event is not None:
                    event.set()
            task_started.disconnect(dispatch_uid=worker_id)
            workers.forget(worker_id)

    def _run_tasks(self, worker_id: str, batch: bool, interval: float) -> None:
        if not batch:
            self._work(worker_id, batch=False, interval=interval)
            return
        # A batch queues what was published, runs it, and goes again while the tasks it ran
        # published events of their own (text analysis announces what it analysed).
        for _round in range(MAX_BATCH_ROUNDS):
            events.dispatch_all()
            self._work(worker_id, batch=True, interval=interval)
            if not events.pending():
                return

    def _work(self, worker_id: str, batch: bool, interval: float) -> None:
        if settings.TASKS_BACKEND == "rq":
            # django-tasks-rq's job class turns an RQ job back into a Django task. The RQ worker
            # is named after this worker's heartbeat, so that its jobs are retried if it dies.
            rq_args = ["default", "--job-class", "django_tasks_rq.backend.Job", "--name", worker_id]
            call_command("rqworker", *rq_args, *(["--burst"] if batch else []))
            return
        db_args = ["--interval", str(interval), "--worker-id", worker_id, "--no-startup-delay"]
        call_command("db_worker", *db_args, *(["--batch"] if batch else []))
