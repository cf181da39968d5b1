"""Background tasks of the scheduled reports (django-tasks). They take ids and are idempotent."""

from __future__ import annotations

from django_tasks import task

from pulso.reports import delivery


@task()
def send_report(email_id: int) -> bool:
    return delivery.send(email_id)
