"""The bodies of the metrics' periodic jobs (registered in ``MetricsConfig.ready``)."""

from __future__ import annotations

from datetime import datetime

from pulso.metrics.aggregates import process_pending_changes
from pulso.metrics.search_index import index_missing_feedback


def refresh_pending() -> dict[str, int]:
    """Fold late and deleted responses into the aggregates; index new feedback for search."""
    return {"days": process_pending_changes(), "feedback_indexed": index_missing_feedback()}


def refresh(now: datetime) -> dict[str, int]:
    """Scheduler entry point (every five minutes): the safety net of the event subscribers,
    and how edits and deletions logged by the triggers reach the aggregates."""
    return refresh_pending()
