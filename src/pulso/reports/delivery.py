"""Sending a report email: HTML with the chart inline (Content-ID), the PDF attached."""

from __future__ import annotations

from datetime import datetime
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from pulso.core import outbox
from pulso.core.models import OutboxEntry
from pulso.reports.models import ReportEmail
from pulso.reports.render import CHART_CID


def message(entry: ReportEmail) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        entry.subject, entry.body, settings.DEFAULT_FROM_EMAIL, [entry.to_email]
    )
    mail.mixed_subtype = "related"  # type: ignore[attr-defined]  # the chart shows inline
    mail.attach_alternative(entry.html, "text/html")
    image = MIMEImage(bytes(entry.chart_png), "png")
    image.add_header("Content-ID", f"<{CHART_CID}>")
    image.add_header("Content-Disposition", "inline", filename=f"{CHART_CID}.png")
    mail.attach(image)
    filename = f"informe-{entry.period_start.isoformat()}.pdf"
    mail.attach(filename, bytes(entry.pdf), "application/pdf")
    return mail


def send(email_id: int, now: datetime | None = None) -> bool:
    """One delivery attempt; True when the mail server accepted the message."""
    return outbox.attempt(ReportEmail, email_id, _send_report, now)


def _send_report(entry: OutboxEntry) -> None:
    assert isinstance(entry, ReportEmail)
    message(entry).send(fail_silently=False)


def send_due(now: datetime | None = None) -> int:
    now = now or timezone.now()
    ids = list(ReportEmail.objects.due(now).order_by("pk").values_list("pk", flat=True)[:100])
    return sum(send(pk, now) for pk in ids)
