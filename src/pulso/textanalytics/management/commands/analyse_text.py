from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from pulso.textanalytics import actions
from pulso.textanalytics.models import TextJob


class Command(BaseCommand):
    help = (
        "Analyse survey comments and feedback texts: --pending (default) analyses what has no "
        "analysis yet; --all re-analyses everything in id order, --resume continues the last "
        "interrupted --all run where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--all", action="store_true", help="Re-analyse every comment.")
        mode.add_argument("--pending", action="store_true", help="Only unanalysed comments.")
        parser.add_argument("--resume", action="store_true", help="Continue an interrupted run.")

    def handle(self, *args: Any, **options: Any) -> None:
        mode = "all" if options["all"] else "pending"
        job = self._job(mode, options["resume"])
        bar = tqdm(desc="Comments", initial=job.done, unit="", file=sys.stderr)
        try:
            actions.do_run_job(job, progress=lambda n: self._tick(bar, job, n))
        finally:
            bar.close()
        self.stdout.write(f"Analysed {job.done} of {job.total} comments.")

    def _tick(self, bar: Any, job: TextJob, n: int) -> None:
        bar.total = job.total
        bar.update(n)

    def _job(self, mode: str, resume: bool) -> TextJob:
        if resume:
            unfinished = TextJob.objects.filter(
                kind=TextJob.Kind.ANALYSE, params__mode=mode
            ).exclude(status=TextJob.Status.DONE)
            job = unfinished.order_by("-created_at", "-pk").first()
            if job is not None:
                self.stdout.write(f"Resuming run #{job.pk} after {job.done} comments.")
                return job
        return TextJob.objects.create(kind=TextJob.Kind.ANALYSE, params={"mode": mode})
