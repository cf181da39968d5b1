"""Erasing a customer leaves no trace of their email, phone or name in any text or JSON column of
any table (search documents included) nor in the files Pulso keeps, keeps dashboard totals, and
writes an audit entry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from pulso.core.audit import record_event
from pulso.core.models import AuditEvent
from pulso.customers.actions import do_erase_customer
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback, ImportRun
from pulso.loop import notifications, webhooks
from pulso.loop.actions import do_add_case_note, do_open_case
from pulso.loop.models import Rule, Webhook
from pulso.loop.rules import webhook_payload
from pulso.metrics.aggregates import rebuild_all
from pulso.metrics.models import DailyAggregate
from pulso.metrics.search_index import index_records
from pulso.surveys.actions import do_record_response
from pulso.textanalytics.actions import do_analyse_items
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Ana Pérez", "ana.perez@gmail.com", "+34612345678"
DNI = "12345678Z"
TRACES = [NAME, "Ana P\\u00e9rez", "ana perez", EMAIL, PHONE, "612345678", "612 345 678", DNI]
COMMENT = f"Soy {NAME}: el pedido llegó roto. Escribidme a {EMAIL} o al 612 345 678. DNI {DNI}."


def traces_in_database() -> list[str]:
    """Every table's every row, read raw, searched for the customer's traces."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", "replace")
                    text = json.dumps(value) if isinstance(value, dict | list) else str(value)
                    for trace in TRACES:
                        if trace.lower() in text.lower():
                            found.append(f"{table}: {trace!r} in {text[:80]!r}")
    return found


def traces_in_files() -> list[str]:
    found = []
    for path in Path(settings.DATA_DIR).rglob("*"):
        if path.is_file() and path.suffix not in {".sqlite3", ".sqlite3-wal", ".sqlite3-shm"}:
            data = path.read_bytes().decode("utf-8", "replace").lower()
            found += [f"{path}: {t!r}" for t in TRACES if t.lower() in data]
    return found


def totals() -> dict[str, Any]:
    columns = ["n", "nps_n", "promoters", "detractors", "comments", "analysed", "negative"]
    return DailyAggregate.objects.aggregate(**{c: Sum(c) for c in columns})


@pytest.fixture
def customer(org: Org, personas: Personas) -> Customer:
    """A customer whose data reached every corner of Pulso."""
    customer = Customer.objects.create(
        external_id="C-77", name=NAME, email=EMAIL, phone=PHONE, consent_to_contact=True
    )
    record_event("customer.created", customer, personas.admin, email=EMAIL)
    survey = make_survey("nps")
    response = do_record_response(
        survey, {"nps": 2, "detractor_comment": COMMENT}, channel="email",
        customer=customer, org_unit=org.north_store,
    )  # fmt: skip
    review = FeedbackFactory(customer=customer, author=NAME, text=COMMENT, org_unit=org.north_store)
    other = FeedbackFactory(text=f"Atendieron antes a {NAME} que a mí", org_unit=org.south_store)
    case = do_open_case(
        title=f"Llamar a {NAME}", unit=org.north_store, priority="high",
        owner=personas.store_manager, feedback=response.feedback, customer=customer,
    )  # fmt: skip
    do_add_case_note(case, f"Llamé al 612 345 678, {NAME} no contestó", personas.store_manager)
    notifications.queue_email(
        "apology", EMAIL, f"Lo sentimos, {NAME}", f"Hola {NAME}, lamentamos lo ocurrido."
    )
    hook = Webhook.objects.create(name="CRM", url="https://crm.example.com/hook")
    rule = Rule.objects.create(name="CRM", action="webhook", webhook=hook, conditions={})
    webhooks.queue_webhook(
        hook, "rule.matched", webhook_payload(rule, response.feedback),
        dedupe_key=f"webhook:{rule.pk}:feedback:{response.feedback_id}",
    )  # fmt: skip
    ImportRun.objects.create(
        kind="file", file_name="reseñas.csv", rejects=[{"index": 3, "errors": {"email": EMAIL}}]
    )
    default_storage.save("feedback-imports/pending", ContentFile(f"{NAME};{EMAIL}\n".encode()))
    ids = [response.feedback_id, review.pk, other.pk]
    do_analyse_items(ids)
    index_records(ids)
    rebuild_all()
    return customer


def test_erasing_a_customer_leaves_no_trace_and_keeps_the_totals(
    customer: Customer, personas: Personas
) -> None:
    assert traces_in_database() and traces_in_files()  # the setup did spread them
    before = totals()

    erasure = do_erase_customer(customer, actor=personas.admin)

    assert traces_in_database() == []
    assert traces_in_files() == []
    rebuild_all()
    assert totals() == before
    customer.refresh_from_db()
    assert (customer.name, customer.email, customer.phone) == ("", "", "")
    assert Feedback.objects.filter(customer=customer).count() == 2  # kept, without the details
    assert AuditEvent.objects.filter(verb="customer.erased", object_id=str(customer.pk)).exists()
    assert erasure.counts


def test_the_command_erases_by_external_id(customer: Customer) -> None:
    call_command("erase_customer", "C-77", "--yes")
    customer.refresh_from_db()
    assert customer.email == "" and AuditEvent.objects.filter(verb="customer.erased").exists()
