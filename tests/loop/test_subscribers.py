"""The rules run on the ids a ``feedback.recorded`` event names; re-running changes nothing, and
a rule on sentiment applies once the analysis announces itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from pulso.feedback.events import recorded_payload
from pulso.loop.models import Case, Notification, Rule, RuleApplication
from pulso.loop.subscribers import apply_rules_to_recorded
from pulso.textanalytics.models import TextAnalysis
from tests.conftest import Org
from tests.factories import CustomerFactory
from tests.loop.conftest import Loop
from tests.loop.factories import ResponseFactory
from tests.loop.test_rules import default_rules  # noqa: F401  (the fixture)


@pytest.mark.usefixtures("default_rules")
def test_the_event_s_feedback_gets_its_rules_once_however_often_it_runs(
    loop: Loop, django_capture_on_commit_callbacks: Any
) -> None:
    detractor = ResponseFactory(touchpoint=loop.touchpoint, nps=2)
    promoter = ResponseFactory(
        touchpoint=loop.touchpoint, nps=10, customer=CustomerFactory(consent_to_contact=True)
    )
    unrelated = ResponseFactory(touchpoint=loop.touchpoint, nps=1)  # named by no event
    payload = recorded_payload([detractor.feedback_id, promoter.feedback_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_rules_to_recorded(payload) == 2
        assert apply_rules_to_recorded(payload) == 0
    assert [case.feedback_id for case in Case.objects.all()] == [detractor.feedback_id]
    assert not RuleApplication.objects.filter(feedback_id=unrelated.feedback_id).exists()
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == ["case_assigned", "thank_you"]


def test_a_sentiment_rule_applies_after_the_analysis(
    org: Org, loop: Loop, django_capture_on_commit_callbacks: Any
) -> None:
    Rule.objects.update(is_active=False)
    Rule.objects.create(
        name="Negativos", action="open_case", conditions={"sentiment": ["negative"]}
    )
    response = ResponseFactory(touchpoint=loop.touchpoint, nps=8, comment="Fatal")
    payload = recorded_payload([response.feedback_id])
    assert apply_rules_to_recorded(payload) == 0  # feedback.recorded: not analysed yet
    TextAnalysis.objects.create(feedback_id=response.feedback_id, sentiment="negative")
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_rules_to_recorded(payload) == 1  # feedback.analysed
    assert Case.objects.get().feedback_id == response.feedback_id
    assert len(mail.outbox) <= 1
