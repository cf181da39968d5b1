"""Events: a state change announces itself, and its subscribers then run in the background.

An app subscribes from its ``AppConfig.ready`` (``subscribe("feedback.recorded", "pulso.x.y")``);
the recording side calls :func:`publish` inside its transaction. Nothing is sent for a
transaction that rolls back. Payloads carry ids only (JSON), and subscribers must be idempotent:
a task may run twice (a retried task of a killed worker) and the daily jobs re-check everything.

With the task backends ``pulso worker`` runs (the database queue, or RQ on Redis) an event is a
:class:`~pulso.core.models.PendingEvent` row written in the publishing transaction (a
transactional outbox: no committed change without its event, and one small insert for the
publisher). ``pulso worker`` :func:`dispatch`-es pending events every second: events of one name
whose payloads can be merged (:func:`merge_lists`) become one task for up to ``MAX_MERGED`` ids,
so a burst of survey submissions is analysed in batches. With another backend (the immediate one
of tests) the task is queued once the transaction commits.

A task runs every subscriber of its event in order; one that raises does not stop the others:
it is queued again on its own (:func:`pulso.core.tasks.deliver_event`), where a failure stays
visible.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

Payload = dict[str, Any]
Subscriber = Callable[[Payload], Any]

# event name → dotted paths of its subscribers, in the order they subscribed
SUBSCRIBERS: dict[str, list[str]] = {}
# event name → the payload key whose lists merge (events of that name carry only that key)
MERGED_LISTS: dict[str, str] = {}
MAX_MERGED = 500
DISPATCH_BATCH = 2000


def dotted_path(subscriber: str | Subscriber) -> str:
    """The import path of a subscriber (tasks only carry strings)."""
    if isinstance(subscriber, str):
        return subscriber
    return f"{subscriber.__module__}.{subscriber.__qualname__}"


def subscribe(name: str, subscriber: str | Subscriber) -> None:
    """Run ``subscriber(payload)`` in the background after every committed :func:`publish`."""
    path = dotted_path(subscriber)
    if "<" in path:
        raise ValueError(f"{path} cannot be imported by a worker; subscribe a module function")
    paths = SUBSCRIBERS.setdefault(name, [])
    if path not in paths:
        paths.append(path)


def merge_lists(name: str, key: str) -> None:
    """Declare that pending ``name`` events, whose payload is ``{key: [ids]}``, may be merged
    into one delivery (subscribers then see the union of the ids)."""
    MERGED_LISTS[name] = key


def subscribers(name: str) -> list[str]:
    return list(SUBSCRIBERS.get(name, ()))


def publish(name: str, payload: Payload) -> None:
    """Announce ``name`` with ``payload`` as part of the current transaction (at once outside
    one). Nothing is kept for an event nobody subscribes to."""
    if not subscribers(name):
        return
    if uses_the_outbox():
        _keep(name, payload)
    else:
        # A failure to queue after the commit is logged, never raised to the committed caller:
        # the daily safety-net jobs pick up what it missed.
        transaction.on_commit(partial(_enqueue, name, payload), robust=True)


# Backends whose tasks ``pulso worker`` runs: events go through the outbox, which that worker
# dispatches. A web process killed between a commit and a push to Redis would otherwise lose the
# event; with the outbox the event commits with the change it announces.
WORKER_BACKENDS = ("django_tasks_db.backend.DatabaseBackend", "django_tasks_rq.backend.RQBackend")


def uses_the_outbox() -> bool:
    from django_tasks import task_backends

    backend = type(task_backends["default"])
    return f"{backend.__module__}.{backend.__qualname__}" in WORKER_BACKENDS


def _keep(name: str, payload: Payload) -> None:
    # One plain INSERT: this runs in every survey submission, where the ORM's model machinery
    # would cost more than the write itself.
    from pulso.core.models import PendingEvent

    table = connection.ops.quote_name(PendingEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, payload, created_at) VALUES (%s, %s, %s)",  # noqa: S608
            [name, json.dumps(payload), timezone.now()],
        )


def _enqueue(name: str, payload: Payload) -> None:
    from pulso.core.tasks import run_subscribers

    run_subscribers.enqueue(name, payload)


def merged(name: str, payloads: list[Payload]) -> list[Payload]:
    """The deliveries for these pending payloads of one event: merged where declared."""
    key = MERGED_LISTS.get(name)
    if key is None or any(set(p) != {key} for p in payloads):
        return payloads
    ids = sorted({value for payload in payloads for value in payload[key]})
    return [{key: ids[k : k + MAX_MERGED]} for k in range(0, len(ids), MAX_MERGED)]


def dispatch(limit: int = DISPATCH_BATCH) -> int:
    """Turn pending events into tasks (merged where possible) and delete them, in one
    transaction; returns the events dispatched. Two workers never take the same events."""
    from pulso.core.models import PendingEvent

    with transaction.atomic():
        pending = PendingEvent.objects.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        taken = list(pending.values_list("pk", "name", "payload")[:limit])
        if not taken:
            return 0
        by_name: dict[str, list[Payload]] = {}
        for _pk, name, payload in taken:
            by_name.setdefault(name, []).append(payload)
        for name, payloads in by_name.items():
            if subscribers(name):
                for delivery in merged(name, payloads):
                    _enqueue(name, delivery)
        PendingEvent.objects.filter(pk__in=[pk for pk, _n, _p in taken]).delete()
    return len(taken)


def pending() -> bool:
    from pulso.core.models import PendingEvent

    return PendingEvent.objects.exists()


def dispatch_all() -> int:
    """Dispatch until nothing is pending; returns the events dispatched."""
    total = 0
    while count := dispatch():
        total += count
    return total


def deliver(name: str, path: str, payload: Payload) -> Any:
    """Call one subscriber; only subscribed paths can be called."""
    if path not in SUBSCRIBERS.get(name, ()):
        raise LookupError(f"{path} does not subscribe to {name}")
    function: Subscriber = import_string(path)
    return function(payload)


def deliver_all(name: str, payload: Payload) -> dict[str, Any]:
    """Call every subscriber of ``name`` in order (what the event's task runs). One that raises
    is logged and queued again on its own; the others still run. Returns what each returned."""
    from pulso.core.tasks import deliver_event

    results: dict[str, Any] = {}
    for path in subscribers(name):
        try:
            results[path] = deliver(name, path, payload)
        except Exception:
            logger.exception("%s failed on %s; queued again on its own", path, name)
            deliver_event.enqueue(name, path, payload)
            results[path] = "queued again"
    return results
