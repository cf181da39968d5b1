"""The ``audits.critical_failed`` event: a recorded visit failed a critical standard.

Its payload names the visits, ``{"visit_ids": [...]}``. The closed loop subscribes to it and
opens a case for the visited unit; audits itself knows nothing of cases.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulso.core import events

CRITICAL_FAILED = "audits.critical_failed"


def publish_critical_failed(visit_ids: Iterable[int]) -> None:
    """Announce the visits once the current transaction commits (nothing when empty)."""
    ids = sorted(set(visit_ids))
    if ids:
        events.publish(CRITICAL_FAILED, {"visit_ids": ids})


def failed_visit_ids(payload: dict[str, Any]) -> list[int]:
    return [int(pk) for pk in payload.get("visit_ids", ())]
