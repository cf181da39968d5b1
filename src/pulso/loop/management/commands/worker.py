from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background worker (django-tasks: database queue, or RQ with Redis)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        # Periodic jobs (pulso.loop.scheduler): one tick in batch mode, else a background loop.
        from pulso.loop import scheduler

        if options["batch"]:
            scheduler.tick()
        else:
            scheduler.start_in_background()
        if settings.TASKS_BACKEND == "rq":
            # django-tasks-rq's job class turns an RQ job back into a Django task.
            rq_args = ["default", "--job-class", "django_tasks_rq.backend.Job"]
            call_command("rqworker", *rq_args, *(["--burst"] if options["batch"] else []))
            return
        db_args = ["--interval", str(options["interval"])]
        if options["batch"]:
            db_args.append("--batch")
        call_command("db_worker", *db_args)
