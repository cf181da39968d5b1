"""Retention: data kinds removed after the number of days a deployment sets.

Apps register what expiring a kind means for their tables (``register`` from ``AppConfig.ready``):
a function called with the cutoff (data older than it expires) that returns the rows it changed
and does nothing to rows already expired, so a late import of old data is caught by the next run.
The daily job :func:`apply_retention` runs every registered function of every kind whose setting
is not 0 and keeps the last cutoff it applied per kind (shown in the admin, and audited);
then, once per pass that changed rows, the callbacks registered with ``after_expiry``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from pulso.core.audit import record_event
from pulso.core.models import RetentionMark

Expirer = Callable[[datetime], int]
KINDS = ("personal_data", "comment_details")
EXPIRERS: dict[str, list[Expirer]] = {kind: [] for kind in KINDS}
AFTER_EXPIRY: list[Callable[[], object]] = []


def register(kind: str, expirer: Expirer) -> None:
    if kind not in EXPIRERS:
        raise ValueError(f"unknown retention kind: {kind!r}")
    if expirer not in EXPIRERS[kind]:
        EXPIRERS[kind].append(expirer)


def after_expiry(callback: Callable[[], object]) -> None:
    """Call ``callback`` once after a pass that changed rows, whatever the kinds and rows it
    changed (e.g. to purge an index of them)."""
    if callback not in AFTER_EXPIRY:
        AFTER_EXPIRY.append(callback)


def retention_days(kind: str) -> int:
    """Days ``kind`` is kept (0: for ever)."""
    return int(settings.PULSO_RETENTION_DAYS.get(kind) or 0)


@transaction.atomic
def apply_retention(now: datetime) -> dict[str, int]:
    """Expire every kind with a retention period; rows changed per kind.

    One transaction, so that the ``after_expiry`` callbacks run once, after every kind: if an
    expirer or a callback fails, nothing of the pass stays and the next one finds it all again."""
    changed: dict[str, int] = {}
    for kind, expirers in EXPIRERS.items():
        days = retention_days(kind)
        if days <= 0 or not expirers:
            continue
        changed[kind] = _expire(kind, now - timedelta(days=days), days, expirers)
    if any(changed.values()):
        for callback in AFTER_EXPIRY:
            callback()
    return changed


def _expire(kind: str, cutoff: datetime, days: int, expirers: list[Expirer]) -> int:
    mark, _created = RetentionMark.objects.select_for_update().get_or_create(kind=kind)
    rows = sum(expirer(cutoff) for expirer in expirers)
    mark.through = cutoff
    mark.save(update_fields=["through", "updated_at"])
    record_event("retention.applied", mark, None, days=days, rows=rows)
    return rows
