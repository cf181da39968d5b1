"""A customer's archive holds their record and every row about them: responses with their
answers, feedback with its analysis, cases with their events; nobody else's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from pulso.core.models import AuditEvent
from pulso.customers.models import Customer
from pulso.loop.actions import do_add_case_note, do_open_case
from pulso.surveys.actions import do_record_response
from pulso.textanalytics.actions import do_analyse_items
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


def test_the_archive_holds_every_row_about_the_customer_and_nothing_else(
    org: Org, personas: Personas, tmp_path: Path
) -> None:
    customer = Customer.objects.create(external_id="C-5", name="Ana Pérez", email="ana@example.com")
    other = Customer.objects.create(external_id="C-6", name="Otro")
    survey = make_survey("nps")
    response = do_record_response(
        survey, {"nps": 3, "detractor_comment": "La entrega llegó tarde"}, channel="email",
        customer=customer, org_unit=org.north_store,
    )  # fmt: skip
    do_record_response(
        survey, {"nps": 10, "promoter_comment": "Nada que ver"}, channel="email", customer=other
    )
    review = FeedbackFactory(customer=customer, text="Reseña de Ana", org_unit=org.north_store)
    do_analyse_items([response.feedback_id, review.pk])
    case = do_open_case(
        title="Entrega tarde", unit=org.north_store, priority="high",
        owner=personas.store_manager, feedback=response.feedback, customer=customer,
    )  # fmt: skip
    do_add_case_note(case, "Llamada hecha", personas.store_manager)

    out = tmp_path / "ana.json"
    call_command("export_customer", "C-5", "--output", str(out))
    archive = json.loads(out.read_text(encoding="utf-8"))

    assert archive["customer"]["email"] == "ana@example.com"
    rows = archive["rows"]
    assert [r["id"] for r in rows["surveys.response"]] == [response.pk]
    comments = {a["text"] for a in rows["surveys.answer"]}
    assert "La entrega llegó tarde" in comments and "Nada que ver" not in comments
    assert {r["text"] for r in rows["feedback.feedback"]} == {
        "La entrega llegó tarde",
        "Reseña de Ana",
    }
    assert len(rows["textanalytics.textanalysis"]) == 2
    assert [c["title"] for c in rows["loop.case"]] == ["Entrega tarde"]
    assert "Llamada hecha" in {e["text"] for e in rows["loop.caseevent"]}
    assert "Nada que ver" not in out.read_text(encoding="utf-8")
    assert AuditEvent.objects.filter(verb="customer.exported", object_id=str(customer.pk)).exists()


def test_an_unknown_customer_is_a_clear_error() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="C-404"):
        call_command("export_customer", "C-404")
