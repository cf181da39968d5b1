"""Background tasks of text analytics; each takes ids and is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from pulso.textanalytics import actions
from pulso.textanalytics.models import TextJob


@task()
def analyse_items(feedback_ids: list[int]) -> int:
    """Analyse feedback that just arrived (re-analysing it is harmless)."""
    return actions.do_analyse_items(feedback_ids)


@task()
def analyse_pending() -> int:
    return actions.do_analyse_pending()


@task()
def run_job(job_id: int) -> None:
    job = TextJob.objects.filter(pk=job_id).first()
    if job is not None:
        actions.do_run_job(job)


@task()
def retrain_sentiment() -> int:
    """Weekly retraining (the scheduler enqueues it); keeps the better model per language."""
    return len(actions.do_retrain_sentiment())


@task()
def find_emerging_themes() -> int:
    return len(actions.do_find_emerging_themes())
