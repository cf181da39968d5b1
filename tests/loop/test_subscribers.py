"""The rules run on the ids a ``feedback.recorded`` event names; re-running changes nothing, and
a rule on sentiment applies once the analysis announces itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from pulso.feedback.events import recorded_payload
from pulso.loop.actions import do_open_case_for_feedback
from pulso.loop.models import PRIORITY_RANK, Case, Notification, Rule, RuleApplication
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


def test_one_batch_opens_one_case_per_record_and_respects_cases_opened_by_hand(
    org: Org, loop: Loop, django_capture_on_commit_callbacks: Any
) -> None:
    """What a batch reads once (applications, cases, routing) gives the same outcome as asking
    record by record: a record with a case opened by hand gets no second one, and two
    case rules matching one record open one case at the higher priority."""
    Rule.objects.update(is_active=False)
    Rule.objects.create(
        name="Detractores", action="open_case", conditions={"nps_group": ["detractor"]}
    )
    Rule.objects.create(
        name="Baja", action="open_case", case_priority="high", conditions={"keywords": ["baja"]}
    )
    by_hand = ResponseFactory(touchpoint=loop.touchpoint, org_unit=org.north_store, nps=3)
    hand_case = do_open_case_for_feedback(by_hand.feedback, loop.store_manager)
    leaving = ResponseFactory(
        touchpoint=loop.touchpoint, org_unit=org.north_store, nps=1, comment="Me doy de baja"
    )
    other = ResponseFactory(touchpoint=loop.touchpoint, org_unit=org.north_store, nps=2)
    payload = recorded_payload([by_hand.feedback_id, leaving.feedback_id, other.feedback_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_rules_to_recorded(payload) == 4
        assert apply_rules_to_recorded(payload) == 0
    assert list(Case.objects.filter(feedback_id=by_hand.feedback_id)) == [hand_case]
    leaving_case = Case.objects.get(feedback_id=leaving.feedback_id)
    assert PRIORITY_RANK[leaving_case.priority] >= PRIORITY_RANK["high"]
    assert Case.objects.get(feedback_id=other.feedback_id).unit == org.north_store
    assert Case.objects.count() == 3
