"""The closed loop reacts to arriving feedback within seconds (``feedback.recorded``), and once
more after text analysis (``feedback.analysed``) for rules on sentiment and topics. A rule is
applied at most once per record (:class:`~pulso.loop.models.RuleApplication`), so both runs, a
retried task and the daily safety net never open a second case or send a second message."""

from __future__ import annotations

from typing import Any

from pulso.feedback.events import recorded_ids
from pulso.loop import rules


def apply_rules_to_recorded(payload: dict[str, Any]) -> int:
    """Apply the active rules to the records named in the event; returns how many applied."""
    return rules.process_feedback(recorded_ids(payload))
