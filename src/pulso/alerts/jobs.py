"""The bodies of the alerts' periodic jobs (registered in ``AlertsConfig.ready``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from pulso.alerts import actions, crisis, detection
from pulso.alerts.models import AlertKind, AlertSubscription, Delivery

WORDS_LOOKBACK = timedelta(hours=24)


def detect_drops(now: datetime) -> int:
    """Daily: units, then touchpoints, whose NPS dropped significantly up to yesterday;
    returns alerts raised."""
    yesterday = timezone.localdate(now) - timedelta(days=1)
    raised = [
        actions.do_raise_drop_alert(found.unit, found.day, found.drop)
        for found in detection.unit_drops(yesterday)
    ]
    raised += [
        actions.do_raise_touchpoint_drop_alert(found)
        for found in detection.touchpoint_drops(yesterday)
    ]
    return sum(alert is not None for alert in raised)


def detect_spikes(now: datetime) -> int:
    """Daily: unusual numbers of complaints per unit and topic, or of contacts per channel,
    up to yesterday; returns alerts raised."""
    yesterday = timezone.localdate(now) - timedelta(days=1)
    raised = [actions.do_raise_spike_alert(found) for found in crisis.crisis_spikes(yesterday)]
    return sum(alert is not None for alert in raised)


def watch_words(now: datetime) -> int:
    """Every few minutes: comments of the last day holding a watched word (each alerted once)."""
    subs = AlertSubscription.objects.filter(kind=AlertKind.WORD, is_active=True)
    words = sorted({w for sub in subs for w in sub.watched_words()})
    if not words:
        return 0
    raised = 0
    for feedback in detection.recent_comments(now - WORDS_LOOKBACK, now):
        found = detection.words_in(feedback.text, words)
        if found:
            raised += actions.do_raise_word_alert(feedback, found) is not None
    return raised


def digest(now: datetime) -> int:
    """Daily: one email per digest subscription with the last day's alerts."""
    subs = AlertSubscription.objects.filter(is_active=True, delivery=Delivery.DIGEST)
    since = now - timedelta(days=1)
    return sum(
        actions.do_send_alert_digest(sub, since, now)
        for sub in subs.select_related("user", "unit")
        if sub.user.is_active
    )
