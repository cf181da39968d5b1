"""The rules engine: default rules, idempotent processing, conditions and their validation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from pulso.loop import jobs, notifications, rules
from pulso.loop.conditions import mentions, validate_conditions
from pulso.loop.defaults import load_default_rules
from pulso.loop.models import Case, Notification, Rule, RuleApplication, SlaPolicy
from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention
from tests.conftest import Org
from tests.factories import CustomerFactory, OrgUnitFactory, TouchpointFactory
from tests.loop.conftest import Loop
from tests.loop.factories import ResponseFactory


@pytest.fixture
def default_rules(db: None) -> None:
    load_default_rules(Rule, SlaPolicy)


def process_twice() -> None:
    now = timezone.now()
    jobs.process_feedback(now)
    jobs.process_feedback(now + timedelta(minutes=10))


def test_a_detractor_opens_exactly_one_case_where_the_experience_happened(
    default_rules: None, loop: Loop, org: Org
) -> None:
    touchpoint = TouchpointFactory(name="Caja", owner_unit=org.company)  # head office owns it
    response = ResponseFactory(touchpoint=touchpoint, org_unit=org.north_store, nps=5)
    before = timezone.now()

    process_twice()

    case = Case.objects.get()
    assert case.feedback == response.feedback
    assert case.unit == org.north_store  # the store, not the touchpoint's owner
    assert case.owner == loop.store_manager
    assert case.priority == "normal"
    policy = SlaPolicy.objects.get(priority="normal")
    expected_due = before + timedelta(hours=policy.resolution_hours)
    assert abs(case.resolution_due - expected_due) < timedelta(minutes=1)
    assert case.first_contact_due < case.resolution_due
    assert RuleApplication.objects.filter(feedback=response.feedback).count() == 1
    assert list(case.events.values_list("kind", flat=True)) == ["created", "assigned"]
    assigned = Notification.objects.get(kind="case_assigned")
    assert assigned.to_email == loop.store_manager.email


def test_a_unit_with_nobody_to_handle_cases_sends_them_up_its_tree(
    default_rules: None, loop: Loop, org: Org
) -> None:
    lonely = OrgUnitFactory(name="Tienda Getafe", code="getafe", parent=org.north)
    ResponseFactory(touchpoint=loop.touchpoint, org_unit=lonely, nps=1)
    process_twice()
    case = Case.objects.get()
    assert (case.unit, case.owner) == (org.north, loop.region_manager)


def test_with_nobody_up_the_tree_the_case_goes_to_the_touchpoint_owner(
    default_rules: None, loop: Loop, org: Org
) -> None:
    ResponseFactory(touchpoint=loop.touchpoint, org_unit=org.south_store, nps=2)  # no handler
    process_twice()
    assert Case.objects.get().unit == org.north_store  # owns loop.touchpoint


def test_a_rule_can_still_send_cases_to_the_touchpoint_owner(
    default_rules: None, loop: Loop, org: Org
) -> None:
    Rule.objects.filter(action="open_case").update(case_unit=Rule.CaseUnit.TOUCHPOINT_OWNER)
    ResponseFactory(touchpoint=loop.touchpoint, org_unit=org.north, nps=2)
    process_twice()
    assert Case.objects.get().unit == org.north_store


def test_a_promoter_gets_exactly_one_thank_you_email(default_rules: None, loop: Loop) -> None:
    customer = CustomerFactory(name="Lucía", consent_to_contact=True)
    ResponseFactory(touchpoint=loop.touchpoint, nps=10, customer=customer, comment="¡Genial!")

    process_twice()
    notifications.send_due()
    notifications.send_due()

    assert Case.objects.count() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [customer.email]
    assert "Hola Lucía" in message.body
    assert "Entrega a domicilio" in message.body
    assert Notification.objects.get().status == "sent"


def test_thank_you_in_english_and_never_without_consent(default_rules: None, loop: Loop) -> None:
    english = CustomerFactory(name="John", language="en", consent_to_contact=True)
    ResponseFactory(touchpoint=loop.touchpoint, nps=9, customer=english)
    ResponseFactory(
        touchpoint=loop.touchpoint, nps=9, customer=CustomerFactory(consent_to_contact=False)
    )

    process_twice()
    notifications.send_due()

    assert [m.to for m in mail.outbox] == [[english.email]]
    assert mail.outbox[0].body.startswith("Hello John")


def test_cancellation_comment_opens_one_high_priority_case(default_rules: None, loop: Loop) -> None:
    passive = ResponseFactory(touchpoint=loop.touchpoint, nps=7, comment="Quiero DARME DE BAJA ya")
    detractor = ResponseFactory(
        touchpoint=loop.touchpoint, nps=1, comment="Voy a cancelar el contrato mañana"
    )

    process_twice()

    assert Case.objects.get(feedback=passive.feedback).priority == "high"
    # Two rules match the detractor; the second does not open another case.
    case = Case.objects.get(feedback=detractor.feedback)
    assert case.priority == "urgent"  # leaving, and a score of 1: one level above the rule's
    assert RuleApplication.objects.filter(feedback=detractor.feedback).count() == 2


@pytest.mark.parametrize(
    ("text", "keyword", "expected"),
    [
        ("Me quiero dar de baja del servicio", "dar de baja", True),
        ("CANCELACIÓN inmediata, por favor", "cancelación", True),
        ("pedí la cancelacion del contrato", "cancelación", True),
        ("cancelaciones constantes", "cancelación", True),
        ("La bajada de precios me gustó", "dar de baja", False),
        ("todo bien", "cancelación", False),
    ],
)
def test_keywords_ignore_accents_case_and_endings(text: str, keyword: str, expected: bool) -> None:
    assert mentions(text, keyword) is expected


def test_conditions_on_sentiment_topics_unit_and_customer_value(
    db: None, loop: Loop, org: Org
) -> None:
    delivery, _new = Topic.objects.get_or_create(slug="entrega", defaults={"name_es": "Entrega"})
    rule = Rule.objects.create(
        name="Clientes valiosos enfadados con la entrega en el norte",
        action="open_case",
        case_priority="urgent",
        conditions={
            "sentiment": ["negative"],
            "topics": ["entrega"],
            "org_units": [org.north.pk],
            "customer_value": {"min": 1000},
        },
    )
    rich = CustomerFactory(value=5000)
    matching = ResponseFactory(
        touchpoint=loop.touchpoint, org_unit=org.north_store, nps=8, customer=rich
    )
    elsewhere = ResponseFactory(
        touchpoint=loop.touchpoint, org_unit=org.south_store, nps=8, customer=rich
    )
    for response in (matching, elsewhere):
        analysis = TextAnalysis.objects.create(feedback=response.feedback, sentiment="negative")
        TopicMention.objects.create(analysis=analysis, topic=delivery, sentiment="negative")
    unanalysed = ResponseFactory(
        touchpoint=loop.touchpoint, org_unit=org.north_store, nps=8, customer=rich
    )

    rules.process_recent_feedback(timezone.now() - timedelta(days=1))

    assert list(Case.objects.values_list("feedback", "priority")) == [
        (matching.feedback_id, "urgent")
    ]
    others = [elsewhere.feedback_id, unanalysed.feedback_id]
    assert not RuleApplication.objects.filter(feedback__in=others).exists()
    assert rule.applications.count() == 1


def test_rules_only_look_at_recent_feedback(default_rules: None, loop: Loop) -> None:
    ResponseFactory(
        touchpoint=loop.touchpoint, nps=0, submitted_at=timezone.now() - timedelta(days=30)
    )
    jobs.process_feedback(timezone.now())
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({"nps_grupo": ["detractor"]}, "Condición desconocida «nps_grupo»"),
        ({"nps_group": ["angry"]}, "«angry» no es un valor válido para «nps_group»"),
        ({"csat": {"min": 4, "max": 2}}, "el mínimo supera el máximo"),
        ({"csat": {"min": "four"}}, "Valor no válido para «csat.min»"),
        ({"touchpoints": [999999]}, "«touchpoints»: 999999 no existe"),
        ({"topics": ["no-such-topic"]}, "no-such-topic no existe"),
        ({"keywords": "baja"}, "Valor no válido para «keywords»"),
        (["detractor"], "Las condiciones deben ser un objeto JSON"),
    ],
)
def test_invalid_conditions_are_refused(db: None, conditions: Any, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_conditions(conditions)
    assert any(message in text for text in refused.value.messages), refused.value.messages


def test_a_rule_with_invalid_conditions_cannot_be_saved_through_full_clean(db: None) -> None:
    rule = Rule(name="Mala", action="open_case", conditions={"score": 3})
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "conditions" in refused.value.message_dict


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ("Hola {nombre}, gracias por visitar {punto_de_contacto} de {empresa}.", True),
        ("Llaves literales: {{ y }}", True),
        ("Hola {name}", False),
        ("Hola {nombre", False),
        ("Hola {}", False),
    ],
)
def test_message_placeholders_are_checked_at_save(db: None, body: str, ok: bool) -> None:
    rule = Rule(name="Gracias", action="thank_you", body_es=body)
    if ok:
        rule.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            rule.full_clean()
        assert "body_es" in refused.value.message_dict
