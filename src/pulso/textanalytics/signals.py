"""Analyse comments as they arrive; load the default taxonomy after migrations.

``bulk_create`` sends no signals: bulk imports are picked up by ``do_analyse_pending``.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction

_buffer = threading.local()


def _pending() -> dict[str, set[int]]:
    if not hasattr(_buffer, "ids"):
        _buffer.ids = {"response": set(), "feedback": set()}
    ids: dict[str, set[int]] = _buffer.ids
    return ids


def _flush() -> None:
    """Enqueue one task for everything saved in the transaction that just committed."""
    from pulso.textanalytics.tasks import analyse_items

    ids = _pending()
    responses, feedback = sorted(ids["response"]), sorted(ids["feedback"])
    ids["response"].clear()
    ids["feedback"].clear()
    if responses or feedback:
        analyse_items.enqueue(responses, feedback)


def queue_analysis(kind: str, pk: int) -> None:
    """Analyse the item after the current transaction commits (many saves → one task)."""
    _pending()[kind].add(pk)
    transaction.on_commit(_flush)


def _touches(update_fields: Any, field: str) -> bool:
    return update_fields is None or field in update_fields


def response_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or not instance.comment:
        return
    if created or _touches(kwargs.get("update_fields"), "comment"):
        queue_analysis("response", instance.pk)


def feedback_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if created or _touches(kwargs.get("update_fields"), "text"):
        queue_analysis("feedback", instance.pk)


def load_taxonomy_after_migrate(sender: Any, **kwargs: Any) -> None:
    """Ship the default CX taxonomy with every new database (idempotent)."""
    from pulso.textanalytics.models import Topic

    if Topic.objects.exists():
        return
    from pulso.textanalytics.actions import do_load_default_taxonomy

    do_load_default_taxonomy()
