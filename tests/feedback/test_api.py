from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback, ImportRun
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory, TouchpointFactory
from tests.feedback.factories import review

pytestmark = pytest.mark.django_db


def auth(user: Any) -> dict[str, str]:
    _token, raw = do_create_api_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_batch_of_ten_thousand_items_is_stored(client: Client, personas: Personas) -> None:
    items = [review(n, text="x" * 300 + str(n)) for n in range(10_000)]
    response = post(client, "/api/feedback/batch", {"items": items}, auth(personas.admin))
    assert response.status_code == 200, response.content[:500]
    assert response.json() == {"accepted": 10_000, "created": 10_000, "updated": 0, "rejected": []}
    assert Feedback.objects.count() == 10_000
    run = ImportRun.objects.get()
    assert (run.kind, run.total, run.created, run.created_by) == (
        "api",
        10_000,
        10_000,
        personas.admin,
    )


def test_mixed_batch_keeps_valid_items_and_reports_invalid_ones(
    client: Client, personas: Personas, org: Org
) -> None:
    touchpoint = TouchpointFactory(name="Entrega a domicilio", owner_unit=org.north_store)
    items = [
        review(0, touchpoint="entrega a domicilio"),
        review(1, rating=7),  # above a 5-point scale
        review(2, text=""),
        review(3, touchpoint=999_999),
        {"source": "tweet", "text": "hola"},
        review(5, org_unit="sevilla", received_at="2025-13-45"),
        review(6, org_unit="SEVILLA", customer="C-77", text="y" * 100_001),
        review(7, org_unit="sevilla", customer="C-77", rating="4.25"),
        "not an object",
    ]
    response = post(client, "/api/feedback/batch", {"items": items}, auth(personas.admin))
    assert response.status_code == 207
    body = response.json()
    assert (body["accepted"], body["created"], body["updated"]) == (2, 2, 0)
    rejected = {r["index"]: r["errors"] for r in body["rejected"]}
    assert sorted(rejected) == [1, 2, 3, 4, 5, 6, 8]
    assert "rating" in rejected[1] and "text" in rejected[2] and "touchpoint" in rejected[3]
    assert "source" in rejected[4] and "received_at" in rejected[5] and "text" in rejected[6]
    first = Feedback.objects.get(external_id="g-0")
    assert (first.touchpoint, first.org_unit, first.channel) == (
        touchpoint,
        org.north_store,
        "store",
    )
    last = Feedback.objects.get(external_id="g-7")
    assert last.rating == Decimal("4.3") and last.org_unit == org.south_store
    assert last.customer == Customer.objects.get(external_id="C-77")


def test_same_source_and_external_id_updates_instead_of_duplicating(
    client: Client, personas: Personas
) -> None:
    headers = auth(personas.admin)
    post(client, "/api/feedback/batch", {"items": [review(1), review(2)]}, headers)
    again = [
        review(1, text="Texto corregido"),
        review(3),
        review(3, rating=1),
        review(1, source="social"),
    ]
    body = post(client, "/api/feedback/batch", {"items": again}, headers).json()
    assert (body["created"], body["updated"], body["rejected"]) == (2, 2, [])
    assert Feedback.objects.count() == 4
    assert Feedback.objects.get(source="review", external_id="g-1").text == "Texto corregido"
    assert Feedback.objects.get(source="review", external_id="g-3").rating == 1
    # Items without an external id never collide.
    post(client, "/api/feedback/batch", [review(9, external_id=None)] * 3, headers)
    assert Feedback.objects.filter(external_id__isnull=True).count() == 3


def test_naive_dates_are_read_in_the_project_time_zone(client: Client, personas: Personas) -> None:
    headers = auth(personas.admin)
    items = [review(1), review(2, received_at="2025-03-01T10:15:00Z")]
    post(client, "/api/feedback/batch", {"items": items}, headers)
    madrid = ZoneInfo("Europe/Madrid")
    naive = Feedback.objects.get(external_id="g-1").received_at
    assert naive == dt.datetime(2025, 3, 1, 10, 15, tzinfo=madrid)
    utc = Feedback.objects.get(external_id="g-2").received_at
    assert utc == dt.datetime(2025, 3, 1, 10, 15, tzinfo=dt.UTC)


def test_single_item_is_created_then_updated(client: Client, personas: Personas, org: Org) -> None:
    headers = auth(personas.agent)
    note = review(1, source="contact_centre", org_unit="cc", rating=None)
    first = post(client, "/api/feedback/", note, headers)
    assert first.status_code == 201, first.content
    assert first.json()["channel"] == "call_centre"
    second = post(client, "/api/feedback/", {**note, "text": "Actualizado"}, headers)
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    elsewhere = post(client, "/api/feedback/", review(2, org_unit="sevilla"), headers)
    assert elsewhere.status_code == 403 and "org_unit" in elsewhere.json()["errors"]
    unknown = post(client, "/api/feedback/", review(3, org_unit="atlantis"), headers)
    assert unknown.status_code == 404 and "org_unit" in unknown.json()["errors"]
    wrong_type = post(client, "/api/feedback/", {"source": "review", "text": ["a"]}, headers)
    assert wrong_type.status_code == 422


def test_nul_characters_are_dropped_not_a_database_error(
    client: Client, personas: Personas
) -> None:
    item = review(1, text="hola\x00 mundo", author="\x00", external_id="n\x00ul")
    response = post(client, "/api/feedback/batch", [item], auth(personas.admin))
    assert response.status_code == 200, response.content
    stored = Feedback.objects.get()
    assert (stored.text, stored.author, stored.external_id) == ("hola mundo", "", "nul")


def test_a_nul_in_an_unknown_field_name_is_a_rejected_row_not_a_database_error(
    client: Client, personas: Personas
) -> None:
    response = post(client, "/api/feedback/batch", [{"\x00": None}], auth(personas.admin))
    assert response.status_code == 207, response.content  # some rows rejected
    rejected = ImportRun.objects.get().rejects
    assert len(rejected) == 1 and "\x00" not in "".join(rejected[0]["errors"])


def test_viewers_may_not_add_feedback(client: Client, personas: Personas) -> None:
    response = post(client, "/api/feedback/batch", [review(1)], auth(personas.viewer))
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe\x00", 400),
        (b'{"items": 3}', 422),
        (b'"items"', 422),
        (json.dumps({"items": [{}] * 10_001}).encode(), 413),
    ],
)
def test_bad_batch_bodies_get_a_clear_4xx(
    client: Client, personas: Personas, body: bytes, status: int
) -> None:
    response = client.post(
        "/api/feedback/batch", body, content_type="application/json", **auth(personas.admin)
    )
    assert response.status_code == status
    assert response.json()["detail"]


def test_list_is_scoped_filtered_and_paginated(
    client: Client, personas: Personas, org: Org
) -> None:
    touchpoint = TouchpointFactory()
    madrid = ZoneInfo("Europe/Madrid")
    for day in range(1, 6):
        FeedbackFactory(
            org_unit=org.north_store,
            touchpoint=touchpoint,
            received_at=dt.datetime(2025, 5, day, 23, 30, tzinfo=madrid),
        )
    FeedbackFactory(org_unit=org.south_store, source="social")
    FeedbackFactory(org_unit=None)

    def ids(user: Any, query: str = "") -> list[int]:
        response = client.get(f"/api/feedback/?page_size=100{query}", **auth(user))
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert len(ids(personas.analyst)) == 7
    assert len(ids(personas.store_manager)) == 5
    assert len(ids(personas.viewer)) == 1
    outsider = client.get("/api/feedback/", **auth(personas.outsider))
    assert outsider.status_code == 403  # no unit: no feedback to read
    assert len(ids(personas.analyst, "&date_from=2025-05-02&date_to=2025-05-03")) == 2
    assert len(ids(personas.analyst, f"&touchpoint={touchpoint.pk}")) == 5
    assert len(ids(personas.analyst, f"&org_unit={org.south.pk}")) == 1
    assert len(ids(personas.analyst, "&source=social")) == 1
    page = client.get("/api/feedback/?page=2&page_size=3", **auth(personas.analyst)).json()
    assert page["count"] == 7 and len(page["items"]) == 3
    huge = client.get("/api/feedback/?page=99999999999999999999", **auth(personas.analyst))
    assert huge.status_code == 422
