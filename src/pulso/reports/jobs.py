"""The bodies of the reports' periodic jobs (registered in ``ReportsConfig.ready``)."""

from __future__ import annotations

from datetime import datetime

from pulso.reports import actions, delivery
from pulso.reports.models import ReportSubscription


def weekly(now: datetime) -> int:
    """Monday: last week's report to every active weekly subscriber; returns how many queued."""
    subscriptions = ReportSubscription.objects.filter(
        is_active=True, frequency=ReportSubscription.Frequency.WEEKLY
    ).select_related("user", "unit")
    return sum(actions.do_queue_weekly_report(s, now) is not None for s in subscriptions)


def retry(now: datetime) -> int:
    return delivery.send_due(now)
