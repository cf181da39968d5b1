"""Praise reaches the people it names as soon as the comment has been analysed."""

from __future__ import annotations

from typing import Any

from pulso.feedback.events import recorded_ids
from pulso.recognitions.actions import do_recognise_praise


def recognise_analysed(payload: dict[str, Any]) -> int:
    """Recognise the employees named in the analysed records' praise; returns how many."""
    return sum(len(do_recognise_praise(pk)) for pk in recorded_ids(payload))
