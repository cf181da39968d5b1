"""A case's priority from the score, the customer's value and the wording."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from pulso.loop import actions, priority
from pulso.loop.models import CaseEvent, Rule
from pulso.loop.rules import open_case
from tests.conftest import Org
from tests.factories import CustomerFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_threshold() -> None:
    cache.delete(priority.TOP_TENTH_KEY)


def assessed(text: str = "", **fields: object) -> priority.Assessment:
    item = FeedbackFactory(text=text, **fields)
    return priority.assess(item, "normal", timezone.now())


def test_a_plain_complaint_keeps_the_rules_priority() -> None:
    result = assessed("La entrega llegó tarde.", nps=5)
    assert (result.priority, result.reasons) == ("normal", [])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Voy a hablar con mi abogado por esto", "legal"),
        ("Pondré una DENUNCIA en consumo", "legal"),
        ("Quiero darme de baja ya", "churn"),
        ("Otra vez el pedido incompleto", "repeat"),
        ("I will contact my lawyer", "legal"),
    ],
)
def test_wording_raises_the_priority(text: str, reason: str) -> None:
    result = assessed(text, nps=5, language="en" if text.startswith("I ") else "es")
    assert reason in result.reasons
    assert result.priority == ("urgent" if reason == "legal" else "high")


def test_a_very_low_score_and_a_valuable_customer_add_up() -> None:
    for n in range(20):
        CustomerFactory(value=Decimal(100 + n))
    rich = CustomerFactory(value=Decimal(5000))
    result = assessed("Fatal", nps=1, customer=rich)
    assert result.reasons == ["score", "value"] and result.priority == "urgent"
    assert assessed("Regular", nps=4, customer=CustomerFactory(value=Decimal(101))).reasons == []


@override_settings(PULSO_HIGH_VALUE_CUSTOMER=1000)
def test_the_high_value_threshold_can_be_set() -> None:
    assert assessed("Regular", nps=5, customer=CustomerFactory(value=Decimal(1000))).reasons == [
        "value"
    ]
    assert assessed("Mal", rating=Decimal(1), nps=None).reasons == ["score"]


def test_a_second_case_for_the_same_customer_within_90_days_is_a_repeat(org: Org) -> None:
    customer = CustomerFactory()
    earlier = timezone.now() - timedelta(days=30)
    actions.do_open_case(title="Antes", unit=org.north_store, priority="normal",
                         customer=customer, now=earlier)  # fmt: skip
    assert assessed("Mal servicio", nps=5, customer=customer).reasons == ["repeat"]


def test_a_rule_opens_the_case_with_the_assessed_priority_and_says_why(org: Org) -> None:
    rule = Rule.objects.create(name="Detractor", action="open_case", case_priority="normal")
    text = "Es la tercera vez, llamaré a la OCU"
    item = FeedbackFactory(text=text, nps=0, org_unit=org.north_store)
    open_case(rule, item, timezone.now())
    case = item.cases.get()
    assert case.priority == "urgent"
    opened = CaseEvent.objects.get(case=case, kind="created")
    assert opened.data["reasons"] == ["legal", "score"]
    assert opened.reason_labels() == ["amenaza legal", "puntuación muy baja"]
