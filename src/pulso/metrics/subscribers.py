"""Metrics and search learn of arriving feedback through ``feedback.recorded``.

Dashboards only read the aggregates; these subscribers (and the five-minute ``metrics.refresh``
job, which also folds in what the database triggers logged for edits and deletions) keep them
current. Both are idempotent: a day's cells are rebuilt from its records, and a search
document is rewritten from its comment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.functions import TruncDate

from pulso.feedback.events import recorded_ids
from pulso.metrics.aggregates import process_pending_changes, survey_records
from pulso.metrics.models import AggregateChange
from pulso.metrics.search_index import index_records

CHUNK = 2_000


def mark_days_stale(feedback_ids: list[int]) -> set[dt.date]:
    """Log the (UTC) days of the survey records among these as changed, once each (the
    aggregates count survey records)."""
    days: set[dt.date] = set()
    for start in range(0, len(feedback_ids), CHUNK):
        chunk = survey_records().filter(pk__in=feedback_ids[start : start + CHUNK])
        utc_days = chunk.annotate(day=TruncDate("received_at", tzinfo=dt.UTC))
        days.update(utc_days.values_list("day", flat=True).distinct())
    known = set(AggregateChange.objects.filter(day__in=days).values_list("day", flat=True))
    AggregateChange.objects.bulk_create(AggregateChange(day=day) for day in days - known)
    return days


def refresh_recorded(payload: dict[str, Any]) -> int:
    """Mark the days of the recorded responses stale and rebuild them; returns the days."""
    mark_days_stale(recorded_ids(payload))
    return process_pending_changes()


def index_recorded(payload: dict[str, Any]) -> int:
    """(Re)write the search documents of the recorded texts; returns how many."""
    return index_records(recorded_ids(payload))
