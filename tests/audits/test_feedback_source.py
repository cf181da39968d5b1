"""Visits are feedback records of their own source, which only the audits app writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pulso.feedback.actions import do_ingest_feedback
from pulso.feedback.models import Feedback
from tests.audits.factories import make_checklist, plan, recorded_photo

pytestmark = pytest.mark.django_db


def test_a_batch_cannot_pass_itself_off_as_an_audit(org: Any) -> None:
    result = do_ingest_feedback(
        [{"source": "audit", "text": "Visita", "org_unit": org.north_store.code},
         {"source": "review", "text": "Muy bien", "org_unit": org.north_store.code}]
    )  # fmt: skip
    assert result.created == 1
    assert [reject["index"] for reject in result.rejected] == [0]
    assert "audit visits are recorded on the audits pages" in str(result.rejected[0]["errors"])
    assert not Feedback.objects.filter(source="audit").exists()


def test_the_feedback_explorer_lists_and_filters_visits(org: Any, personas: Any) -> None:
    recorded_photo(make_checklist(), org.north_store)
    plan(make_checklist(name="Caja"), org.north_store)
    client = Client()
    client.force_login(personas.store_manager)
    page = client.get(reverse("feedback:explorer"), {"source": "audit"}).content.decode()
    assert "Visita de auditoría o cliente misterioso" in page
    assert "100,0/100" in page
