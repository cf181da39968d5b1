"""Writing to the customer from a case, and closing a case in one step with its resolution."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pulso.customers.models import Customer
from pulso.loop.actions import (
    CannotContact,
    do_change_case_status,
    do_contact_customer,
    do_open_case,
)
from pulso.loop.models import Case, CaseEvent, Notification
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


def a_case(org: Org, personas: Personas, **customer: object) -> Case:
    client = Customer.objects.create(external_id="C-1", name="Marta", **customer)  # type: ignore[arg-type]
    record = FeedbackFactory(text="Llegó roto", org_unit=org.north_store, customer=client)
    return do_open_case(
        title="Pedido roto", unit=org.north_store, priority="high",
        owner=personas.store_manager, feedback=record, customer=client,
    )  # fmt: skip


def test_a_template_is_filled_queued_put_on_the_timeline_and_marks_the_contact(
    org: Org, personas: Personas
) -> None:
    case = a_case(org, personas, email="marta@example.com")
    sent = do_contact_customer(case, "llamada", personas.store_manager)
    assert sent.kind == Notification.Kind.CUSTOMER_CONTACT and sent.case == case
    assert sent.body.startswith("Hola Marta:") and str(case.pk) in sent.subject
    assert "{" not in sent.body + sent.subject
    case.refresh_from_db()
    assert case.status == Case.Status.CUSTOMER_CONTACTED and case.first_contacted_at
    assert case.events.get(kind=CaseEvent.Kind.CONTACT).text == sent.body


def test_a_rewritten_message_is_sent_instead_of_the_template(org: Org, personas: Personas) -> None:
    case = a_case(org, personas, email="marta@example.com")
    sent = do_contact_customer(case, "disculpa", message="Hola {nombre}, te llamo mañana.")
    assert sent.body == "Hola Marta, te llamo mañana."


@pytest.mark.parametrize(
    "customer", [{"email": ""}, {"email": "m@example.com", "unsubscribed_at": timezone.now()}]
)
def test_customers_without_email_or_opted_out_are_not_written_to(
    org: Org, personas: Personas, customer: dict[str, object]
) -> None:
    case = a_case(org, personas, **customer)
    with pytest.raises(CannotContact):
        do_contact_customer(case, "llamada")
    assert not Notification.objects.filter(kind=Notification.Kind.CUSTOMER_CONTACT).exists()


def test_a_case_is_closed_in_one_step_only_with_its_resolution(
    org: Org, personas: Personas
) -> None:
    case = a_case(org, personas, email="marta@example.com")
    do_change_case_status(case, Case.Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        do_change_case_status(case, Case.Status.CLOSED)
    closed = do_change_case_status(case, Case.Status.CLOSED, resolution="Reembolsado.")
    assert closed.status == Case.Status.CLOSED and closed.resolution == "Reembolsado."
    assert closed.resolved_at is not None and closed.closed_at is not None
