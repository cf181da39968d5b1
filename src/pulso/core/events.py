"""Events: a state change announces itself once its transaction commits; each subscriber then
runs as its own background task.

An app subscribes from its ``AppConfig.ready`` (``subscribe("feedback.recorded", "pulso.x.y")``);
the recording side calls :func:`publish` inside its transaction. Nothing is sent for a
transaction that rolls back. Payloads carry ids only (JSON), and subscribers must be idempotent:
a task may run twice (a retried task of a killed worker) and the daily jobs re-check everything.
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
    """Run ``subscriber(payload)`` as a task after every committed :func:`publish` of ``name``."""
    path = dotted_path(subscriber)
    if "<" in path:
        raise ValueError(f"{path} cannot be imported by a worker; subscribe a module function")
    paths = SUBSCRIBERS.setdefault(name, [])
    if path not in paths:
        paths.append(path)


def subscribers(name: str) -> list[str]:
    return list(SUBSCRIBERS.get(name, ()))


def publish(name: str, payload: Payload) -> None:
    """Queue one task per subscriber of ``name`` once the current transaction commits (at once
    outside a transaction). A failure to queue is logged, never raised to the committed caller:
    the daily safety-net jobs pick up what it missed."""
    transaction.on_commit(partial(_enqueue, name, payload), robust=True)


def _enqueue(name: str, payload: Payload) -> None:
    from pulso.core.tasks import deliver_event

    # One transaction for all the subscribers' task rows (database backend): one commit, one
    # disk flush, per event instead of one per subscriber.
    with transaction.atomic():
        for path in subscribers(name):
            deliver_event.enqueue(name, path, payload)


def deliver(name: str, path: str, payload: Payload) -> Any:
    """Call one subscriber (what the task runs); only subscribed paths can be called."""
    if path not in SUBSCRIBERS.get(name, ()):
        raise LookupError(f"{path} does not subscribe to {name}")
    function: Subscriber = import_string(path)
    return function(payload)
