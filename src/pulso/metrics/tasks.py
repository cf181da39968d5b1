"""Background work of the metrics app: fold pending response changes into the aggregates."""

from __future__ import annotations

from django_tasks import task

from pulso.metrics.jobs import refresh_pending


@task()
def refresh_metrics() -> dict[str, int]:
    """Idempotent: rebuilds only the days changed since the last run."""
    return refresh_pending()
