"""The bodies of text analytics' periodic jobs (registered in ``TextanalyticsConfig.ready``)."""

from __future__ import annotations

from datetime import datetime

from pulso.textanalytics.actions import (
    do_analyse_pending,
    do_find_emerging_themes,
    do_retrain_sentiment,
)


def analyse_pending(now: datetime) -> int:
    """Daily: analyse every comment still without an analysis (the events' safety net)."""
    return do_analyse_pending()


def retrain_sentiment(now: datetime) -> int:
    """Weekly: retrain each language's model; the old one stays unless the new one is better."""
    return len(do_retrain_sentiment())


def find_emerging_themes(now: datetime) -> int:
    """Weekly: cluster recent uncovered negative comments and flag fast-growing topics."""
    return len(do_find_emerging_themes(now=now))
