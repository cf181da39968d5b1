"""The ``feedback.recorded`` event: every source announces the feedback records it stored.

Its payload names them by id, ``{"feedback_ids": [...]}``: one event per recorded response or
item, one per batch for imports and API batches. Consumers (text analysis, rules, metrics,
search) subscribe to it in their ``AppConfig.ready`` and read the ids with :func:`recorded_ids`.
``feedback.analysed`` follows with the same payload once text analysis has run, for what depends
on sentiment and topics.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulso.core import events

RECORDED = "feedback.recorded"
ANALYSED = "feedback.analysed"


def recorded_payload(feedback_ids: Iterable[int]) -> dict[str, Any]:
    return {"feedback_ids": sorted(set(feedback_ids))}


def publish_recorded(feedback_ids: Iterable[int]) -> None:
    """Announce stored records once the current transaction commits (nothing when empty)."""
    payload = recorded_payload(feedback_ids)
    if payload["feedback_ids"]:
        events.publish(RECORDED, payload)


def recorded_ids(payload: dict[str, Any]) -> list[int]:
    """The record ids of a ``feedback.recorded`` or ``feedback.analysed`` payload."""
    return [int(pk) for pk in payload.get("feedback_ids", ())]
