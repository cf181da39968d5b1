"""Background work of the metrics app: fold pending response changes into the aggregates."""

from __future__ import annotations

from django_tasks import task

from pulso.metrics.aggregates import process_pending_changes
from pulso.metrics.search_index import index_missing_feedback

# For a scheduler: refresh every five minutes (dashboards also refresh on read).
SCHEDULE = [("*/5 * * * *", "pulso.metrics.tasks.refresh_metrics")]


@task()
def refresh_metrics() -> dict[str, int]:
    """Idempotent: rebuilds only the days changed since the last run."""
    return {"days": process_pending_changes(), "feedback_indexed": index_missing_feedback()}
