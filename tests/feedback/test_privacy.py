"""Personal data only for those who need it: one comment holding an email, a phone number and a
DNI is masked for a viewer and shown whole to the owner of its case and to people who contact
customers, in the explorer, the CSV and XLSX exports and the API."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from pulso.accounts.actions import do_create_api_token
from pulso.accounts.models import Role
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.loop.actions import do_open_case
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory, MembershipFactory, UserFactory
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db

EMAIL, PHONE, DNI = "ana.perez@gmail.com", "612 345 678", "12345678Z"
COMMENT = f"El pedido llegó roto. Escribidme a {EMAIL} o llamad al {PHONE}; mi DNI es {DNI}."
SECRETS = (EMAIL, PHONE, DNI)


@pytest.fixture
def people(org: Org, personas: Personas) -> dict[str, Any]:
    """A viewer of the north region, and another one who owns the case about the comment."""
    viewer = MembershipFactory(
        user=UserFactory(username="north_viewer"), unit=org.north, role=Role.VIEWER
    ).user
    owner = MembershipFactory(
        user=UserFactory(username="case_owner"), unit=org.north, role=Role.VIEWER
    ).user
    record = FeedbackFactory(
        source=Feedback.Source.REVIEW, text=COMMENT, org_unit=org.north_store,
        received_at=timezone.now(),
    )  # fmt: skip
    do_open_case(
        title="Pedido roto", unit=org.north_store, priority="high", owner=owner, feedback=record
    )
    return {
        "viewer": viewer,
        "owner": owner,
        "manager": personas.store_manager,
        "record": record,
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown_whole(body: str) -> bool:
    return all(secret in body for secret in SECRETS)


def masked(body: str) -> bool:
    return "El pedido llegó roto" in body and not any(secret in body for secret in SECRETS)


def explorer(user: Any) -> str:
    return client_for(user).get("/dashboards/explorer/").content.decode()


def export_csv(user: Any) -> str:
    response = client_for(user).get("/dashboards/explorer/export.csv")
    return b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]


def export_xlsx(user: Any) -> str:
    response = client_for(user).get("/dashboards/explorer/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def api_text(user: Any, record: Feedback) -> str:
    _token, raw = do_create_api_token(user, "test")
    response = Client().get(f"/api/feedback/{record.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    return str(response.json()["text"])


@pytest.mark.parametrize("read", [explorer, export_csv, export_xlsx])
def test_pages_and_exports_mask_the_comment_for_a_viewer_only(
    people: dict[str, Any], read: Any
) -> None:
    assert masked(read(people["viewer"]))
    assert shown_whole(read(people["owner"]))  # a viewer too, but the case is theirs
    assert shown_whole(read(people["manager"]))  # contacts the store's customers


def test_the_api_masks_the_comment_for_a_viewer_only(people: dict[str, Any]) -> None:
    record = people["record"]
    assert masked(api_text(people["viewer"], record))
    assert "[" in api_text(people["viewer"], record)  # says what was there
    assert shown_whole(api_text(people["owner"], record))
    assert shown_whole(api_text(people["manager"], record))


def test_survey_comments_and_answers_are_masked_in_the_responses_api(
    org: Org, people: dict[str, Any]
) -> None:
    from pulso.surveys.actions import do_record_response

    survey = make_survey("nps")
    response = do_record_response(
        survey, {"nps": 2, "detractor_comment": COMMENT}, channel="link", org_unit=org.north_store
    )
    for user, check in ((people["viewer"], masked), (people["manager"], shown_whole)):
        _token, raw = do_create_api_token(user, "test")
        body = (
            Client().get(f"/api/responses/{response.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        )
        assert check(body["comment"]) and check(str(body["answers"]))


def test_customer_contact_details_are_hidden_from_viewers(people: dict[str, Any]) -> None:
    customer = Customer.objects.create(
        external_id="C-1", name="Ana Pérez", email=EMAIL, phone="+34612345678"
    )
    viewer_page = client_for(people["viewer"]).get(f"/customers/{customer.pk}/").content.decode()
    manager_page = client_for(people["manager"]).get(f"/customers/{customer.pk}/").content.decode()
    assert EMAIL not in viewer_page and "Ana Pérez" not in viewer_page
    assert "a•••@gmail.com" in viewer_page
    assert EMAIL in manager_page and "Ana Pérez" in manager_page
    _token, raw = do_create_api_token(people["viewer"], "test")
    listed = Client().get("/api/customers/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    rows = listed["items"] if isinstance(listed, dict) else listed
    assert [row["email"] for row in rows] == ["a•••@gmail.com"]
    assert "612" not in rows[0]["phone"]


def test_the_csv_export_is_one_row_per_record(people: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(export_csv(people["viewer"]))))
    assert len(rows) == 2  # the header and the review
