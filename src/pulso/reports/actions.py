"""Producing a report: render it in the recipient's language and queue it in the outbox."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from pulso.accounts.models import OrgUnit
from pulso.core.access import User
from pulso.core.audit import record_event
from pulso.reports import content, render
from pulso.reports.models import ReportEmail, ReportSubscription


def do_queue_weekly_report(
    subscription: ReportSubscription, now: datetime, preview: bool = False
) -> ReportEmail | None:
    """Queue last week's report for the subscriber (once per week, unless it is a preview)."""
    user = subscription.user
    if not user.email or not user.is_active:
        return None
    start, end = content.last_week(timezone.localdate(now))
    key = f"weekly:{subscription.pk}:{start.isoformat()}"
    if preview:
        key = f"preview:{subscription.pk}:{now.isoformat()}"
    if ReportEmail.objects.filter(dedupe_key=key).exists():
        return None
    with override(subscription.language):
        report = content.weekly_report(user, subscription.unit, timezone.localdate(now))
        png = render.chart_png(report)
        fields = {
            "subject": render.title(report),
            "body": render.text(report),
            "html": render.html(report),
            "pdf": render.pdf(report, png),
        }
    with transaction.atomic():
        email = ReportEmail.objects.create(
            subscription=subscription, to_email=user.email, chart_png=png,
            period_start=start, period_end=end, dedupe_key=key, next_attempt_at=now, **fields,
        )  # fmt: skip
        transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int) -> None:
    from pulso.reports.tasks import send_report

    send_report.enqueue(email_id)


def do_subscribe_to_report(
    user: User, unit: OrgUnit, language: str, is_active: bool = True
) -> ReportSubscription:
    """Create or change the person's weekly report of one unit."""
    sub, _created = ReportSubscription.objects.update_or_create(
        user=user,
        unit=unit,
        frequency=ReportSubscription.Frequency.WEEKLY,
        defaults={"language": language, "is_active": is_active},
    )
    record_event("reports.subscribe", sub, actor=user, active=is_active)
    return sub
