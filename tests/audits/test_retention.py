"""Retention: the personal details in the comments of old visits are masked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from pulso.audits.actions import AnswerIn, do_record_visit
from pulso.audits.models import Visit, VisitAnswer
from pulso.core.retention import apply_retention
from tests.audits.factories import make_checklist, plan

pytestmark = pytest.mark.django_db

DETAILS = "El encargado dio su móvil, 612 345 678, y su correo ana@example.com."


def visit_with_details(unit: Any, days_ago: int) -> Visit:
    checklist = make_checklist(name=f"Lista {days_ago}")
    visit = plan(checklist, unit)
    comment = checklist.standards.get(kind="comment")
    visited = timezone.now() - timedelta(days=days_ago)
    do_record_visit(visit, {comment.pk: AnswerIn(comment=DETAILS)}, token=f"r{days_ago}",
                    visited_at=visited, comment=DETAILS)  # fmt: skip
    return visit


@override_settings(PULSO_RETENTION_DAYS={"personal_data": 0, "comment_details": 365})
def test_comments_of_visits_older_than_the_period_are_masked(org: Any) -> None:
    old = visit_with_details(org.north_store, 400)
    recent = visit_with_details(org.north_store, 10)
    apply_retention(timezone.now())
    old.refresh_from_db()
    assert "612 345 678" not in old.comment and "ana@example.com" not in old.comment
    old_answer = VisitAnswer.objects.get(visit=old, standard__kind="comment")
    assert "ana@example.com" not in old_answer.comment and "[" in old_answer.comment
    assert "ana@example.com" not in old.feedback.text  # the record, by the feedback app
    recent.refresh_from_db()
    assert recent.comment == DETAILS
    assert VisitAnswer.objects.get(visit=recent, standard__kind="comment").comment == DETAILS
