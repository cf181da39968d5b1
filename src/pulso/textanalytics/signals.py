"""Analyse comments as they arrive; load the default taxonomy after migrations.

``bulk_create`` sends no signals: bulk imports are picked up by ``do_analyse_pending``.

New items do not get a task each: after commit, a process makes sure one deferred sweep
(``analyse_pending``, due SWEEP_DELAY later) is queued; it analyses everything committed before
it runs, so a busy public survey costs one task row a minute per process instead of one per
response. Edited comments (which already have an analysis, so a sweep would skip them) and
backends that cannot defer tasks keep the per-transaction ``analyse_items`` task.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.db import transaction
from django.utils import timezone

_buffer = threading.local()

SWEEP_DELAY = dt.timedelta(seconds=60)
# A queued sweep covers items committed at least this long before it is due (clocks of the web
# and worker processes may differ a little).
SWEEP_MARGIN = dt.timedelta(seconds=5)
_sweep_lock = threading.Lock()
_sweep_due: list[dt.datetime | None] = [None]  # when this process's last queued sweep runs


def _pending() -> set[int]:
    if not hasattr(_buffer, "ids"):
        _buffer.ids = set()
    ids: set[int] = _buffer.ids
    return ids


def _flush() -> None:
    """Enqueue one task for everything saved in the transaction that just committed."""
    from pulso.textanalytics.tasks import analyse_items

    ids = _pending()
    feedback = sorted(ids)
    ids.clear()
    if feedback:
        analyse_items.enqueue(feedback)


def queue_analysis(pk: int) -> None:
    """Analyse the record after the current transaction commits (many saves → one task)."""
    _pending().add(pk)
    transaction.on_commit(_flush)


def can_sweep_later() -> bool:
    """Whether the task backend runs deferred tasks (``run_after``) on its own."""
    from pulso.textanalytics.tasks import analyse_pending

    backend = analyse_pending.get_backend()
    # RQ runs deferred jobs only under a scheduler (rqworker --with-scheduler), which
    # `pulso worker` does not start.
    return backend.supports_defer and not type(backend).__module__.startswith("django_tasks_rq")


def schedule_sweep() -> None:
    """Make sure a sweep of unanalysed items runs after now (at most one queued per window)."""
    from pulso.textanalytics.tasks import analyse_pending

    now = timezone.now()
    with _sweep_lock:
        due = _sweep_due[0]
        if due is not None and now < due - SWEEP_MARGIN:
            return  # the queued sweep starts after this commit, so it will see the item
        due = now + SWEEP_DELAY
        analyse_pending.using(run_after=due).enqueue()
        _sweep_due[0] = due


def _queue_new(pk: int) -> None:
    if can_sweep_later():
        transaction.on_commit(schedule_sweep)
    else:
        queue_analysis(pk)


def _touches(update_fields: Any, field: str) -> bool:
    return update_fields is None or field in update_fields


def feedback_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A feedback record (a survey response's included) was stored or edited."""
    if kwargs.get("raw") or not instance.text:
        return
    if created:
        _queue_new(instance.pk)
    elif _touches(kwargs.get("update_fields"), "text"):
        queue_analysis(instance.pk)


def load_taxonomy_after_migrate(sender: Any, **kwargs: Any) -> None:
    """Ship the default CX taxonomy with every new database (idempotent)."""
    from pulso.textanalytics.models import Topic

    if Topic.objects.exists():
        return
    from pulso.textanalytics.actions import do_load_default_taxonomy

    do_load_default_taxonomy()
