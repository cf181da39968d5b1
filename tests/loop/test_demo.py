"""The demo step: cases in several statuses with timelines, never duplicated by the rules."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from pulso.demo import loop as demo
from pulso.loop import jobs
from pulso.loop.models import Case, CaseEvent, RecoveryInvitation
from tests.conftest import Org
from tests.loop.conftest import Loop
from tests.loop.factories import ResponseFactory


def no_progress(label: str, total: int) -> Any:
    return lambda n: None


def test_demo_cases_have_statuses_timelines_and_recovery(org: Org, loop: Loop) -> None:
    now = timezone.now()
    for day in range(60):
        ResponseFactory(
            touchpoint=loop.touchpoint, nps=day % 7, submitted_at=now - timedelta(days=day)
        )
    demo.build(random.Random(1), no_progress)

    assert Case.objects.count() == 60
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"new", "closed"} <= statuses and len(statuses) >= 4
    closed = Case.objects.filter(status="closed").first()
    assert closed is not None
    kinds = list(closed.events.values_list("data__new", flat=True).filter(kind="status"))
    assert kinds == ["in_progress", "customer_contacted", "resolved", "closed"]
    assert CaseEvent.objects.filter(kind="note").exists()
    assert RecoveryInvitation.objects.filter(answered_at__isnull=False).exists()
    jobs.process_feedback(now)  # recent detractors already have their case
    assert Case.objects.count() == 60
