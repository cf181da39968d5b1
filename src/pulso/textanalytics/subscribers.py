"""Text analysis of arriving feedback, as a subscriber of ``feedback.recorded``."""

from __future__ import annotations

from typing import Any

from pulso.core import events
from pulso.feedback.events import ANALYSED, recorded_ids
from pulso.textanalytics import actions


def analyse_recorded(payload: dict[str, Any]) -> int:
    """Analyse the recorded texts (one analysis row each, re-written when run again), then
    announce ``feedback.analysed`` for the rules that read sentiment and topics."""
    analysed = actions.do_analyse_items(recorded_ids(payload))
    if analysed:
        events.publish(ANALYSED, payload)
    return analysed
