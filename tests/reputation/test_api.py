"""Reputation in the REST API: mentions listed and read within the caller's units, with their
details and brands; a batch of mentions in, each bad item reported; the index and share of
voice as the pages compute them; bad filters refused with 422."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pulso.accounts.actions import do_create_api_token
from pulso.reputation.actions import do_relink_brands
from pulso.reputation.models import Brand, Mention
from tests.conftest import Org, Personas
from tests.reputation.factories import make_mention

pytestmark = pytest.mark.django_db


def auth(user: Any) -> dict[str, str]:
    _token, raw = do_create_api_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def recent(days: int = 3) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def test_mentions_are_listed_newest_first_with_their_details(
    client: Client, personas: Personas, org: Org
) -> None:
    Brand.objects.create(name="Acme", is_own=True)
    older = make_mention(
        "Acme me atendió genial", org_unit=org.north_store, rating=Decimal(5),
        received_at=recent(5), url="https://resenas.example/1", author_handle="@ana", reach=1200,
    )  # fmt: skip
    newer = make_mention("Cola larguísima", org_unit=org.south_store, received_at=recent(1))
    do_relink_brands()

    response = client.get("/api/reputation/mentions", **auth(personas.admin))

    assert response.status_code == 200
    body = response.json()
    assert [m["id"] for m in body["items"]] == [newer.pk, older.pk]
    first = body["items"][1]
    assert first["url"] == "https://resenas.example/1"
    assert first["author_handle"] == "@ana"
    assert first["reach"] == 1200
    assert first["brands"] == ["Acme"]
    assert first["text"] == "Acme me atendió genial"
    assert Decimal(str(first["rating"])) == Decimal(5)
    assert first["org_unit_id"] == org.north_store.pk


def test_a_store_manager_reads_only_their_units_mentions(
    client: Client, personas: Personas, org: Org
) -> None:
    own = make_mention("De Bilbao", org_unit=org.north_store, received_at=recent())
    other = make_mention("De Sevilla", org_unit=org.south_store, received_at=recent())
    headers = auth(personas.store_manager)

    listed = client.get("/api/reputation/mentions", **headers).json()

    assert [m["id"] for m in listed["items"]] == [own.pk]
    assert client.get(f"/api/reputation/mentions/{own.pk}", **headers).status_code == 200
    assert client.get(f"/api/reputation/mentions/{other.pk}", **headers).status_code in (403, 404)
    index = client.get("/api/reputation/index", **headers).json()
    assert index["mentions"] == 1


def test_filters_narrow_the_list_and_bad_ones_are_refused(
    client: Client, personas: Personas, org: Org
) -> None:
    make_mention("En Google", network="Google", org_unit=org.north_store, received_at=recent())
    make_mention("En Tripadvisor", network="Tripadvisor", org_unit=org.south_store,
                 received_at=recent())  # fmt: skip
    make_mention("Hace mucho", network="Google", org_unit=org.north_store,
                 received_at=recent(800))  # fmt: skip
    headers = auth(personas.admin)

    def texts(query: str) -> list[str]:
        response = client.get(f"/api/reputation/mentions?{query}", **headers)
        assert response.status_code == 200, response.content
        return sorted(m["text"] for m in response.json()["items"])

    assert texts("network=Google") == ["En Google"]
    assert texts("unit=sur") == ["En Tripadvisor"]
    start = (timezone.localdate() - dt.timedelta(days=900)).isoformat()
    assert texts(f"start={start}") == ["En Google", "En Tripadvisor", "Hace mucho"]
    assert texts("network=Fax") == []
    assert texts("start=2026-05-01&end=2026-01-01") == []  # a start after the end: nothing
    unknown = client.get("/api/reputation/mentions?unit=nowhere", **headers)
    assert unknown.status_code == 404 and unknown.json()["detail"]
    outside = client.get("/api/reputation/index?unit=sur", **auth(personas.store_manager))
    assert outside.status_code == 404  # a unit the caller may not see is not named
    assert client.get("/api/reputation/share?by=day", **headers).status_code == 422


def test_a_batch_stores_mentions_with_details_and_reports_bad_items(
    client: Client, personas: Personas, org: Org
) -> None:
    items = [
        {"source": "review", "source_name": "Google", "text": "Muy amables", "rating": 5,
         "org_unit": "bilbao", "url": "https://resenas.example/a", "reach": 300},
        {"source": "social", "source_name": "X", "text": "Otra vez sin stock",
         "external_id": "post-9", "author_handle": "@luis", "org_unit": "sevilla"},
        {"source": "survey", "text": "No es una mención", "external_id": "s-1"},
        {"source": "review", "text": "Sin dirección ni id"},
        {"source": "review", "text": "Alcance negativo", "external_id": "r-2", "reach": -1},
    ]  # fmt: skip

    response = client.post(
        "/api/reputation/mentions/batch", json.dumps({"items": items}),
        content_type="application/json", **auth(personas.admin),
    )  # fmt: skip

    assert response.status_code == 207, response.content
    body = response.json()
    assert (body["accepted"], body["created"]) == (2, 2)
    assert sorted(r["index"] for r in body["rejected"]) == [2, 3, 4]
    review = Mention.objects.get(feedback__source_name="Google")
    assert (review.url, review.reach, review.feedback.org_unit_id) == (
        "https://resenas.example/a", 300, org.north_store.pk,
    )  # fmt: skip
    assert Mention.objects.get(feedback__external_id="post-9").author_handle == "@luis"

    again = client.post(
        "/api/reputation/mentions/batch", json.dumps({"items": items[:2]}),
        content_type="application/json", **auth(personas.admin),
    )  # fmt: skip
    assert again.status_code == 200
    assert Mention.objects.count() == 2  # stored once per address or external id


def test_the_index_and_share_of_voice(client: Client, personas: Personas, org: Org) -> None:
    Brand.objects.create(name="Acme", is_own=True)
    Brand.objects.create(name="Rival")
    make_mention("Acme genial", org_unit=org.north_store, rating=Decimal(5), received_at=recent())
    make_mention("Acme fatal", org_unit=org.north_store, rating=Decimal(1), received_at=recent())
    make_mention("Rival genial", org_unit=org.south_store, rating=Decimal(5),
                 received_at=recent())  # fmt: skip
    do_relink_brands()
    headers = auth(personas.analyst)

    index = client.get("/api/reputation/index", **headers).json()
    share = client.get("/api/reputation/share", **headers).json()

    assert index["mentions"] == 3
    assert sum(cell["mentions"] for cell in index["periods"]) == 3
    units = {cell["label"]: cell for cell in index["units"]}
    assert units["Tienda Bilbao"]["index"] == pytest.approx(50.0)
    assert units["Tienda Sevilla"]["index"] == pytest.approx(100.0)
    by_brand = {row["brand"]: row for row in share}
    assert (by_brand["Acme"]["mentions"], by_brand["Rival"]["mentions"]) == (2, 1)
    assert by_brand["Acme"]["share"] == pytest.approx(2 / 3)
    assert by_brand["Acme"]["is_own"] is True
