"""JSON bodies are cleaned at the API boundary: NUL (which PostgreSQL refuses), the control
characters XML forbids and lone surrogates never reach the database or an export."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from pulso.core.apiutils import clean_json
from pulso.feedback.models import Feedback
from pulso.loop import actions as loop_actions
from pulso.loop.models import Case, CaseEvent, Rule
from pulso.textanalytics.models import Topic
from tests.conftest import Org, Personas
from tests.distribution.factories import InvitationFactory, make_live_survey

pytestmark = pytest.mark.django_db

DIRTY = "Entre\x00ga\x07 tar\x1bdía\ud800\n"
CLEAN = "Entrega tardía\ufffd\n"  # an undecodable character shows as U+FFFD


def _post(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    # ensure_ascii escapes every control character and the lone surrogate, as clients do.
    raw = json.dumps(body, ensure_ascii=True)
    return getattr(client, method)(path, raw, content_type="application/json")


@pytest.fixture
def admin_client(personas: Personas) -> Client:
    _token, raw = do_create_api_token(personas.admin, "bodies")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


@pytest.fixture
def case(org: Org) -> Case:
    return loop_actions.do_open_case(title="Caso", unit=org.north_store, priority="normal")


def test_a_case_note_and_status_change_keep_only_clean_text(
    admin_client: Client, case: Case
) -> None:
    note = _post(admin_client, "post", f"/api/cases/{case.pk}/notes", {"text": DIRTY})
    assert note.status_code == 201, note.content
    moved = _post(
        admin_client,
        "post",
        f"/api/cases/{case.pk}/status",
        {"status": "in_progress", "note": DIRTY, "resolution": DIRTY},
    )
    assert moved.status_code == 200, moved.content
    texts = list(CaseEvent.objects.filter(case=case).values_list("text", flat=True))
    assert CLEAN.strip() in texts
    assert not any("\x00" in t or "\x07" in t for t in texts)


def test_rules_and_topics_store_clean_names(admin_client: Client) -> None:
    rule = {"name": DIRTY, "action": "open_case", "description": DIRTY}
    created = _post(admin_client, "post", "/api/cases/rules", rule)
    assert created.status_code == 201, created.content
    stored = Rule.objects.get(pk=created.json()["id"])
    assert (stored.name, stored.description) == (CLEAN, CLEAN)
    updated = _post(admin_client, "put", f"/api/cases/rules/{stored.pk}", rule)
    assert updated.status_code == 200, updated.content
    topic = {"name_es": DIRTY, "rule_es": "entrega"}
    made = _post(admin_client, "post", "/api/text/topics", topic)
    assert made.status_code == 201, made.content
    assert Topic.objects.get(pk=made.json()["id"]).name_es == CLEAN
    patched = _post(admin_client, "patch", f"/api/text/topics/{made.json()['id']}", topic)
    assert patched.status_code == 200, patched.content


def test_invitations_take_dirty_segments_and_bounce_details(admin_client: Client, org: Org) -> None:
    survey = make_live_survey(org.north_store)
    body = {"survey_id": survey.pk, "channel": "email", "segment": DIRTY}
    invited = _post(admin_client, "post", "/api/invitations/", body)
    assert invited.status_code == 201, invited.content
    invitation = InvitationFactory(survey=survey, status="sent")
    path = f"/api/invitations/{invitation.pk}/bounce"
    bounced = _post(admin_client, "post", path, {"detail": DIRTY})
    assert bounced.status_code == 200, bounced.content
    invitation.refresh_from_db()
    assert invitation.status_detail == CLEAN


def test_a_body_that_only_holds_removed_characters_is_a_clear_422(admin_client: Client) -> None:
    answer = _post(
        admin_client, "post", "/api/text/topics", {"name_es": "\x00\x01", "rule_es": "x"}
    )
    assert answer.status_code == 422
    assert "name_es" in answer.json()["errors"]


def test_cleaning_reaches_keys_and_nested_values_and_keeps_the_rest() -> None:
    dirty = {"a\x00": [DIRTY, {"b": "\x0b\x0c\t"}], "n": 1, "ok": None}
    assert clean_json(dirty) == {"a": [CLEAN, {"b": "\t"}], "n": 1, "ok": None}
    raw = json.dumps({"text": "señal"}).encode()
    assert clean_json({"text": "señal"}, raw) == {"text": "señal"}


def test_a_batch_item_with_a_far_offset_is_stored_in_utc(admin_client: Client) -> None:
    """PostgreSQL takes offsets up to 15:59 only (the batch's COPY gave a 500)."""
    item = {"source": "review", "text": "Bien", "received_at": "2025-03-01T10:00:00-16:50"}
    answer = _post(admin_client, "post", "/api/feedback/batch", {"items": [item]})
    assert answer.status_code == 200, answer.content
    stored = Feedback.objects.get()
    assert stored.received_at == dt.datetime(2025, 3, 2, 2, 50, tzinfo=dt.UTC)
