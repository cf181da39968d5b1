"""Periodic jobs of brand reputation (registered in ``ReputationConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from pulso.reputation.actions import do_poll_feeds


def poll_feeds(now: dt.datetime) -> int:
    """Read every active feed (every 30 minutes by default)."""
    return do_poll_feeds(now)
