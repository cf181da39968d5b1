"""Customer actions: the batch API (good rows kept, bad rows reported, idempotent on the
external id, scoped to the caller's units), file imports, and the customer's timeline."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from pulso.accounts.actions import do_create_api_token
from pulso.accounts.models import Role
from pulso.customers.actions import do_import_customer_action_file, do_ingest_customer_actions
from pulso.customers.models import Customer, CustomerAction
from tests.conftest import Org, Personas
from tests.factories import CustomerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_batch(client: Client, user: Any, body: Any) -> Any:
    token = do_create_api_token(user, "test")[1]
    return client.post(
        "/api/customer-actions/batch",
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def item(number: int, **fields: Any) -> dict[str, Any]:
    return {
        "external_id": f"pedido-{number}",
        "customer": "C-1",
        "kind": "purchase",
        "occurred_at": "2026-03-02T10:30:00+01:00",
        "amount": 249.9,
        **fields,
    }


def test_batch_keeps_good_rows_and_reports_each_bad_one(
    client: Client, personas: Personas, org: Org
) -> None:
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    body = {
        "items": [
            item(1, org_unit="bilbao", product="Lavadora", channel="tienda"),
            item(2, kind="gift"),
            item(3, occurred_at="ayer"),
            item(4, occurred_at=tomorrow),
            item(5, org_unit="no-such-unit"),
            item(6, amount=-5),
            item(7, kind="cancellation", amount=None, customer="C-2"),
            {"customer": "C-1", "kind": "purchase"},
            "not an object",
            item(8, amount=1.234),
            item(9, kind="campaign_contacted", campaign="Renovación", amount=None),
        ]
    }
    reply = post_batch(client, personas.analyst, body)
    assert reply.status_code == 207
    result = reply.json()
    assert (result["accepted"], result["created"], result["updated"]) == (3, 3, 0)
    rejected = {r["index"]: r["errors"] for r in result["rejected"]}
    assert set(rejected) == {1, 2, 3, 4, 5, 7, 8, 9}
    assert "kind" in rejected[1]
    assert "occurred_at" in rejected[2] and "occurred_at" in rejected[3]
    assert "org_unit" in rejected[4]
    assert "amount" in rejected[5] and "amount" in rejected[9]
    assert {"external_id", "occurred_at"} <= set(rejected[7])
    stored = CustomerAction.objects.get(external_id="pedido-1")
    assert stored.amount == Decimal("249.90") and stored.org_unit == org.north_store
    assert stored.occurred_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert stored.customer.external_id == "C-1"
    assert Customer.objects.filter(external_id="C-2").exists()  # created when unknown


def test_sending_the_same_actions_again_updates_them(client: Client, personas: Personas) -> None:
    first = post_batch(client, personas.analyst, [item(1), item(2)])
    assert first.status_code == 200 and first.json()["created"] == 2
    again = post_batch(client, personas.analyst, [item(1, amount=10), item(2)])
    assert again.json() == {"accepted": 2, "created": 0, "updated": 2, "rejected": []}
    assert CustomerAction.objects.count() == 2
    assert CustomerAction.objects.get(external_id="pedido-1").amount == Decimal("10.00")
    twice = post_batch(client, personas.analyst, [item(3, amount=1), item(3, amount=2)])
    assert twice.json()["created"] == 1 and twice.json()["updated"] == 1
    assert CustomerAction.objects.get(external_id="pedido-3").amount == Decimal("2.00")


def test_batch_is_limited_to_ten_thousand_actions(client: Client, personas: Personas) -> None:
    reply = post_batch(client, personas.analyst, [item(n) for n in range(10_001)])
    assert reply.status_code == 413
    assert post_batch(client, personas.analyst, "{not json").status_code == 400
    assert post_batch(client, personas.analyst, {"items": "x"}).status_code == 422


def test_ten_thousand_actions_are_stored_in_one_call(client: Client, personas: Personas) -> None:
    body = [item(n, customer=f"C-{n % 700}") for n in range(10_000)]
    reply = post_batch(client, personas.analyst, body)
    assert reply.status_code == 200 and reply.json()["created"] == 10_000
    assert CustomerAction.objects.count() == 10_000


def test_only_analysts_and_admins_record_actions_and_only_in_their_units(
    client: Client, personas: Personas, org: Org
) -> None:
    assert post_batch(client, personas.store_manager, [item(1)]).status_code == 403
    assert post_batch(client, personas.viewer, [item(1)]).status_code == 403
    north_analyst = UserFactory()
    MembershipFactory(user=north_analyst, unit=org.north, role=Role.CX_ANALYST)
    body = [item(1, org_unit="bilbao"), item(2, org_unit="sevilla"), item(3)]
    result = post_batch(client, north_analyst, body).json()
    assert result["accepted"] == 1
    assert {r["index"] for r in result["rejected"]} == {1, 2}  # another region; company-wide
    # An action stored in the south cannot be moved north by someone of the north.
    do_ingest_customer_actions([item(4, org_unit="sevilla")])
    moved = post_batch(client, north_analyst, [item(4, org_unit="bilbao")]).json()
    assert moved["rejected"][0]["errors"].keys() == {"external_id"}
    assert CustomerAction.objects.get(external_id="pedido-4").org_unit == org.south_store


def test_single_action_endpoint_answers_with_the_stored_action(
    client: Client, personas: Personas, org: Org
) -> None:
    token = do_create_api_token(personas.analyst, "test")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def send(body: dict[str, Any]) -> Any:
        return client.post(
            "/api/customer-actions/", json.dumps(body), content_type="application/json", **auth
        )

    created = send(item(1, org_unit=org.north_store.pk))
    assert created.status_code == 201 and created.json()["org_unit_id"] == org.north_store.pk
    assert send(item(1)).status_code == 200
    assert send(item(2, org_unit="nowhere")).status_code == 404
    assert send(item(3, kind="gift")).status_code == 422
    listed = client.get("/api/customer-actions/", {"kind": "purchase"}, **auth).json()
    assert [a["external_id"] for a in listed["items"]] == ["pedido-1"]


def test_people_see_the_actions_of_their_units(
    client: Client, personas: Personas, org: Org
) -> None:
    do_ingest_customer_actions([item(1, org_unit="bilbao"), item(2, org_unit="sevilla"), item(3)])
    token = do_create_api_token(personas.store_manager, "test")[1]
    reply = client.get("/api/customer-actions/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [a["external_id"] for a in reply.json()["items"]] == ["pedido-1"]


CSV = (
    "Id;Cliente;Tipo;Fecha;Importe;Producto;Campaña;Tienda\n"
    "P-1;C-9;Compra;02/03/2026 10:30;1.249,90 €;Frigorífico;;bilbao\n"
    "P-2;C-9;Devolución;05/03/2026;1.249,90;Frigorífico;;bilbao\n"
    "P-3;C-9;Campaña;06/03/2026;;;Renovación garantía;\n"
    "P-4;C-9;Baja;07/03/2026;;;;\n"
    "P-5;C-9;regalo;07/03/2026;;;;\n"
    "P-6;;Compra;07/03/2026;;;;\n"
    "P-7;C-9;Compra;mañana;;;;\n"
    "P-8;C-9;Compra;07/03/2026;mucho;;;\n"
)


def test_csv_import_in_spanish_reports_rejected_rows_by_number(org: Org) -> None:
    result = do_import_customer_action_file("acciones.csv", CSV.encode("utf-8-sig"))
    assert result.created == 4
    rejected = {r["index"]: r["errors"] for r in result.rejected}
    assert set(rejected) == {6, 7, 8, 9}  # spreadsheet rows: the header is row 1
    assert "kind" in rejected[6] and "customer" in rejected[7] and "occurred_at" in rejected[8]
    assert "amount" in rejected[9]
    actions = {a.external_id: a for a in CustomerAction.objects.all()}
    assert (
        actions["P-1"].amount == Decimal("1249.90") and actions["P-1"].org_unit == org.north_store
    )
    assert actions["P-2"].kind == "return"
    assert (actions["P-3"].kind, actions["P-3"].campaign) == (
        "campaign_contacted",
        "Renovación garantía",
    )
    assert actions["P-4"].kind == "cancellation"
    again = do_import_customer_action_file("acciones.csv", CSV.encode("utf-8-sig"))
    assert (again.created, again.updated) == (0, 4)


def test_xlsx_import() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "customer", "kind", "date", "amount"])
    naive = dt.datetime(2026, 1, 15, 9, 0)  # noqa: DTZ001 - a spreadsheet's dates are naive
    sheet.append(["X-1", "C-5", "renewal", naive, 79])
    sheet.append(["X-2", "C-5", "complaint", "2026-01-20", None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = do_import_customer_action_file("acciones.xlsx", buffer.getvalue())
    assert (result.created, result.rejected) == (2, [])
    assert CustomerAction.objects.get(external_id="X-1").amount == Decimal("79.00")


def test_file_without_the_required_columns_is_refused_on_the_page(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.analyst)
    upload = io.BytesIO(b"cliente;importe\nC-1;10\n")
    upload.name = "acciones.csv"
    reply = client.post("/customers/actions/import/", {"file": upload, "date_order": "dmy"})
    assert reply.status_code == 400
    assert CustomerAction.objects.count() == 0
    upload = io.BytesIO(CSV.encode())
    upload.name = "acciones.csv"
    reply = client.post("/customers/actions/import/", {"file": upload, "date_order": "dmy"})
    assert reply.status_code == 200
    assert CustomerAction.objects.count() == 4
    assert "P-5" not in reply.content.decode() and ">6<" in reply.content.decode()
    assert "core/import_page.html" in {t.name for t in reply.templates}  # the shared layout
    assert "<caption>Filas rechazadas</caption>" in reply.content.decode()


def test_actions_appear_on_the_customers_timeline(personas: Personas, org: Org) -> None:
    customer = CustomerFactory(external_id="C-77")
    do_ingest_customer_actions(
        [
            item(1, customer="C-77", product="Lavadora", org_unit="bilbao"),
            item(2, customer="C-77", kind="cancellation", amount=None, org_unit="sevilla"),
        ]
    )
    client = Client()
    client.force_login(personas.store_manager)
    html = client.get(f"/customers/{customer.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Compra" in html and "Lavadora" in html and "249,90" in html
    assert "Baja" not in html  # in another region
    client.force_login(personas.analyst)
    html = client.get(f"/customers/{customer.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Baja" in html
