"""Long runs over every stored comment, resumable and with progress kept on a TextJob row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pulso.textanalytics import analysis
from pulso.textanalytics.models import TextAnalysis, TextJob

Progress = Callable[[int], None]
BATCH = analysis.BATCH


def _noop(n: int) -> None:
    return None


def start(job: TextJob, total: int) -> None:
    job.status, job.total = TextJob.Status.RUNNING, total
    job.save(update_fields=["status", "total"])


def finish(job: TextJob, message: str = "") -> None:
    job.status, job.finished_at = TextJob.Status.DONE, timezone.now()
    job.message = message[:300]
    job.save(update_fields=["status", "finished_at", "message"])


def fail(job: TextJob, error: BaseException) -> None:
    job.status, job.finished_at = TextJob.Status.FAILED, timezone.now()
    job.message = f"{type(error).__name__}: {error}"[:300]
    job.save(update_fields=["status", "finished_at", "message"])


def analyse_all(job: TextJob, progress: Progress = _noop) -> None:
    """Re-analyse every comment in id order; the cursor is saved per batch (resumable)."""
    cursor = job.params.get("cursor")
    after = cursor if isinstance(cursor, int) else 0
    start(job, analysis.count_items())
    for batch in analysis.batches_after(analysis.commented_feedback(), after):
        analysis.analyse(batch)
        job.params = {**job.params, "cursor": batch[-1].pk}
        job.advance(len(batch), params=job.params)
        progress(len(batch))
    finish(job)


def analyse_pending(job: TextJob, progress: Progress = _noop) -> None:
    """Analyse what has no analysis yet (naturally resumable: done items are no longer pending)."""
    start(job, job.done + analysis.count_pending())

    def tick(n: int) -> None:
        job.advance(n)
        progress(n)

    analysis.analyse_pending(limit=job.params.get("limit"), progress=tick)
    finish(job)


def _analyses_in_batches(queryset: QuerySet[TextAnalysis]) -> Any:
    after = 0
    while True:
        batch = list(queryset.filter(pk__gt=after).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        after = batch[-1].pk


def reprocess_topics(job: TextJob, progress: Progress = _noop) -> None:
    """Re-match topics of every analysed comment after the taxonomy changed (topics only)."""
    analysed = TextAnalysis.objects.filter(analysed=True).select_related("feedback")
    start(job, analysed.count())
    for batch in _analyses_in_batches(analysed):
        analysis.rematch_topics(batch)
        job.advance(len(batch))
        progress(len(batch))
    finish(job)


def rescore(job: TextJob, progress: Progress = _noop) -> None:
    """Re-analyse the comments of one language after its sentiment model changed."""
    of_language = TextAnalysis.objects.filter(language=job.params.get("language", ""))
    start(job, of_language.count())
    for batch in _analyses_in_batches(of_language):
        analysis.analyse_ids([a.feedback_id for a in batch])
        job.advance(len(batch))
        progress(len(batch))
    finish(job)
