"""Events: a state change announces itself, and its subscribers then run as one background task.

An app subscribes from its ``AppConfig.ready`` (``subscribe("feedback.recorded", "pulso.x.y")``);
the recording side calls :func:`publish` inside its transaction. Nothing is sent for a
transaction that rolls back. Payloads carry ids only (JSON), and subscribers must be idempotent:
a task may run twice (a retried task of a killed worker) and the daily jobs re-check everything.

One event is one task row, whatever the number of subscribers (a public survey submission pays
for one row, not one per consumer). With the database task backend the row is written in the
publishing transaction itself, so the event commits, or rolls back, with the change it announces
(a transactional outbox: no committed change without its event). Other backends (Redis) are
queued once the transaction commits. A subscriber that raises does not stop the others: it is
queued again on its own (:func:`pulso.core.tasks.deliver_event`), where a failure stays visible.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

Payload = dict[str, Any]
Subscriber = Callable[[Payload], Any]

# event name → dotted paths of its subscribers, in the order they subscribed
SUBSCRIBERS: dict[str, list[str]] = {}


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


def subscribers(name: str) -> list[str]:
    return list(SUBSCRIBERS.get(name, ()))


def publish(name: str, payload: Payload) -> None:
    """Queue one task that runs every subscriber of ``name``, committed with the current
    transaction (database backend) or queued once it commits (other backends; at once outside a
    transaction). Nothing is queued for an event nobody subscribes to."""
    if not subscribers(name):
        return
    if _queues_in_the_transaction():
        _enqueue(name, payload)
    else:
        # A failure to queue after the commit is logged, never raised to the committed caller:
        # the daily safety-net jobs pick up what it missed.
        transaction.on_commit(partial(_enqueue, name, payload), robust=True)


def _queues_in_the_transaction() -> bool:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _enqueue(name: str, payload: Payload) -> None:
    from pulso.core.tasks import run_subscribers

    run_subscribers.enqueue(name, payload)


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
