"""What brand reputation does when feedback is recorded."""

from __future__ import annotations

from typing import Any

from pulso.feedback.events import recorded_ids
from pulso.reputation.actions import do_record_mentions


def record_mentions(payload: dict[str, Any]) -> int:
    """Reviews and social posts stored by any path (API, file import) become mentions."""
    return do_record_mentions(recorded_ids(payload))
