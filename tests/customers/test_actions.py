"""Customers met through a response, and opt-outs."""

from __future__ import annotations

import pytest

from pulso.core.models import AuditEvent
from pulso.customers.actions import do_unsubscribe, get_or_create_customer_for_response
from pulso.customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_anonymous_response_has_no_customer() -> None:
    assert get_or_create_customer_for_response(name="Anónimo") is None
    assert Customer.objects.count() == 0


def test_known_customer_is_found_by_external_id_and_only_blanks_are_filled() -> None:
    known = CustomerFactory(external_id="C1", name="Ana", phone="", segment="basic")
    found = get_or_create_customer_for_response(
        external_id="C1", name="Otra", phone="+34600000000", segment="premium"
    )
    assert found == known
    known.refresh_from_db()
    assert (known.name, known.phone, known.segment) == ("Ana", "+34600000000", "basic")


def test_customer_is_found_by_email_case_insensitively() -> None:
    known = CustomerFactory(email="ana@example.com")
    assert get_or_create_customer_for_response(email=" ANA@example.com ") == known


def test_new_customer_is_created_without_assuming_consent() -> None:
    created = get_or_create_customer_for_response(
        email="Nuevo@Example.com", name="Nuevo", language="en"
    )
    assert created is not None
    assert (created.external_id, created.email, created.language) == (
        "email:nuevo@example.com",
        "nuevo@example.com",
        "en",
    )
    assert created.consent_to_contact is False
    again = get_or_create_customer_for_response(email="nuevo@example.com")
    assert again == created and Customer.objects.count() == 1


def test_unsubscribe_is_recorded_once_in_the_audit_trail() -> None:
    customer = CustomerFactory()
    assert do_unsubscribe(customer, invitation_id=7) is True
    assert do_unsubscribe(customer) is False
    assert customer.is_unsubscribed
    event = AuditEvent.objects.get(verb="customer.unsubscribed")
    assert event.data == {"invitation": 7}
