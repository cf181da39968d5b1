"""The closed loop's daily job, run by ``pulso worker --batch`` like any scheduled job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pulso.core import scheduler
from pulso.core.models import ScheduledJob
from pulso.loop.defaults import load_default_rules
from pulso.loop.models import Case, Rule, SlaPolicy
from tests.conftest import Org
from tests.factories import CustomerFactory
from tests.loop.conftest import Loop
from tests.loop.factories import ResponseFactory


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_the_daily_job(org: Org, loop: Loop) -> None:
    load_default_rules(Rule, SlaPolicy)  # transactional tests start from empty tables
    detractor = ResponseFactory(touchpoint=loop.touchpoint, nps=4)
    promoter = ResponseFactory(
        touchpoint=loop.touchpoint, nps=10, customer=CustomerFactory(consent_to_contact=True)
    )
    scheduler.ensure_jobs(timezone.now())
    ScheduledJob.objects.update(next_run_at=timezone.now() + timedelta(days=1))
    ScheduledJob.objects.filter(name="loop.daily").update(
        next_run_at=timezone.now() - timedelta(minutes=1)
    )

    call_command("worker", "--batch", "--interval", "0")
    call_command("worker", "--batch", "--interval", "0")  # a second run changes nothing

    case = Case.objects.get()
    assert case.feedback == detractor.feedback and case.owner == loop.store_manager
    results = DBTaskResult.objects.filter(task_path__endswith="run_scheduled_job")
    assert [r.status for r in results] == ["SUCCESSFUL"]
    # The thank-you and the case assignment went out through the task queue, once each; the
    # company's manager sees the detractor's comment (it has no unit: company-wide) in a digest.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [promoter.customer.email, loop.store_manager.email, loop.company_manager.email]
    )
    digest = next(m for m in mail.outbox if m.to == [loop.company_manager.email])
    assert "El técnico no vino" in digest.body
