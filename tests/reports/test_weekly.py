"""The weekly report: produced by the scheduler, an email with the chart inline and a PDF whose
text (pdftotext) holds the Spanish headings and the dashboard's figures."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from email.mime.image import MIMEImage
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from pulso.core import scheduler
from pulso.core.models import ScheduledJob
from pulso.metrics import dashboards
from pulso.metrics.filters import MetricFilter, Period
from pulso.metrics.jobs import refresh_pending
from pulso.metrics.templatetags.metrics_tags import num
from pulso.reports import content, delivery
from pulso.reports.models import ReportEmail, ReportSubscription
from tests.conftest import Org, Personas
from tests.metrics.factories import ResponseFactory, SurveyFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def last_week_answers(org: Org) -> None:
    """North store NPS 40 (n=10), south store -50 (n=4) in the last complete week."""
    monday, _sunday = content.last_week(timezone.localdate())
    when = timezone.make_aware(
        timezone.datetime.combine(monday + timedelta(days=2), timezone.datetime.min.time())
    ) + timedelta(hours=12)  # noqa: E501
    survey = SurveyFactory()
    for score in [10, 10, 9, 9, 9, 9, 8, 7, 3, 0]:
        ResponseFactory(
            survey=survey, nps=score, csat=5, org_unit=org.north_store, submitted_at=when
        )
    for score in [10, 6, 5, 2]:
        ResponseFactory(survey=survey, nps=score, org_unit=org.south_store, submitted_at=when)
    refresh_pending()


def _run_weekly_job_by_the_scheduler(now: Any, capture: Any) -> list[str]:
    scheduler.ensure_jobs(now)
    ScheduledJob.objects.filter(name="reports.weekly").update(
        next_run_at=now - timedelta(seconds=1)
    )
    with capture(execute=True):
        return scheduler.tick(now)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "informe.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def test_the_scheduler_sends_the_weekly_report_with_chart_and_pdf(
    org: Org, personas: Personas, last_week_answers: None, settings: Any, client: Any,
    tmp_path: Path, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.TASKS = IMMEDIATE
    ReportSubscription.objects.create(user=personas.analyst, unit=org.company, language="es")
    ReportSubscription.objects.create(user=personas.outsider, unit=org.company, is_active=False)

    due = _run_weekly_job_by_the_scheduler(timezone.now(), django_capture_on_commit_callbacks)

    assert "reports.weekly" in due
    assert [m.to for m in mail.outbox] == [[personas.analyst.email]]
    message = mail.outbox[0]
    assert message.subject.startswith("Informe semanal · Acme")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'src="cid:nps-trend"' in html
    assert message.message().get_content_type() == "multipart/related"
    images = [a for a in message.attachments if isinstance(a, MIMEImage)]
    assert len(images) == 1 and images[0]["Content-ID"] == "<nps-trend>"
    assert images[0].get_payload(decode=True).startswith(b"\x89PNG")
    pdfs = [a for a in message.attachments if not isinstance(a, MIMEImage)]
    assert len(pdfs) == 1 and pdfs[0].mimetype == "application/pdf"

    text = _pdf_text(pdfs[0].content, tmp_path)
    for heading in ("Informe semanal", "Indicadores clave de la semana",
                    "Evolución del NPS, últimas 12 semanas", "Tiendas"):  # fmt: skip
        assert heading in text
    start, end = content.last_week(timezone.localdate())
    with override("es"):
        week = MetricFilter(start=start, end=end, by=Period.WEEK, unit=org.company)
        card = dashboards.scorecard(week, personas.analyst)
        shown = [num(card.nps.value), f"± {num(card.nps.margin)}", num(card.csat.value)]
    assert shown[0] == "14,3"  # 7 promoters, 5 detractors of 14
    for figure in shown:
        assert figure in text
    assert "Tienda Bilbao" in text and "40,0" in text and "Tienda Sevilla" in text

    # The dashboard shows the same figures for the same week and unit.
    client.force_login(personas.analyst)
    page = client.get(
        reverse("metrics:overview"),
        {"start": start.isoformat(), "end": end.isoformat(), "unit": "acme"},
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()
    for figure in shown:
        assert figure in page


def test_a_second_run_the_same_week_sends_nothing_more(
    org: Org, personas: Personas, last_week_answers: None, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.TASKS = IMMEDIATE
    ReportSubscription.objects.create(user=personas.analyst, unit=org.north_store)
    now = timezone.now()
    _run_weekly_job_by_the_scheduler(now, django_capture_on_commit_callbacks)
    _run_weekly_job_by_the_scheduler(now + timedelta(hours=1), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert ReportEmail.objects.get().sent_at is not None


def test_a_failed_send_is_retried(
    org: Org, personas: Personas, last_week_answers: None, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    from pulso.reports import actions

    subscription = ReportSubscription.objects.create(user=personas.analyst, unit=org.company)
    settings.EMAIL_BACKEND = "tests.reports.failing_backend.FailingBackend"
    now = timezone.now()
    email = actions.do_queue_weekly_report(subscription, now)
    assert email is not None
    assert delivery.send(email.pk, now) is False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.send_due(now + timedelta(hours=1)) == 1
    assert len(mail.outbox) == 1
