"""Invitation pages (invite with preview, list, bounce, pixel) and the invitations API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pulso.accounts.actions import do_create_api_token
from pulso.surveys.models import Invitation
from tests.conftest import Org, Personas
from tests.distribution.factories import (
    ContactableCustomerFactory,
    InvitationFactory,
    make_live_survey,
)

pytestmark = pytest.mark.django_db
Status = Invitation.Status


def test_invite_a_segment_with_a_preview_then_send(
    client: Client, personas: Personas, org: Org
) -> None:
    survey = make_live_survey(org.north_store, name="Postventa")
    for _ in range(3):
        ContactableCustomerFactory(segment="premium")
    ContactableCustomerFactory(segment="premium", consent_to_contact=False)
    ContactableCustomerFactory(segment="basic")
    client.force_login(personas.analyst)
    url = reverse("distribution:invite", args=[survey.pk])
    form = {"channel": "email", "source": "segment", "segment": "premium"}
    preview = client.post(url, {**form, "action": "preview"}).content.decode()
    assert "Se invitará a 3 clientes." in preview
    assert "Sin consentimiento para ser contactado: 1" in preview
    assert Invitation.objects.count() == 0  # a preview stores nothing
    sent = client.post(url, {**form, "action": "send"})
    assert sent.status_code == 302
    assert Invitation.objects.filter(status=Status.QUEUED).count() == 3
    assert Invitation.objects.filter(status=Status.SUPPRESSED).count() == 1
    listing = client.get(sent["Location"]).content.decode()
    assert "Invitaciones en envío: 3. Clientes no invitados: 1." in listing


def test_invite_an_uploaded_list(client: Client, personas: Personas) -> None:
    survey = make_live_survey()
    known = ContactableCustomerFactory(external_id="K1")
    ContactableCustomerFactory(external_id="K2")
    client.force_login(personas.admin)
    url = reverse("distribution:invite", args=[survey.pk])
    upload = SimpleUploadedFile("lista.csv", b"cliente\nK1\nNADIE\n")
    form = {"channel": "sms", "source": "file"}
    preview = client.post(url, {**form, "file": upload, "action": "preview"}).content.decode()
    assert "Se invitará a 1 cliente." in preview
    assert "1 fila de la lista no corresponde a ningún cliente conocido" in preview
    client.post(url, {**form, "action": "send"})  # the matched list is kept from the preview
    (invitation,) = Invitation.objects.all()
    assert (invitation.customer, invitation.channel) == (known, "sms")


def test_invite_form_errors_and_permissions(client: Client, personas: Personas) -> None:
    survey = make_live_survey()
    url = reverse("distribution:invite", args=[survey.pk])
    client.force_login(personas.store_manager)
    assert client.get(url).status_code == 403
    client.force_login(personas.analyst)
    missing = client.post(url, {"source": "file", "action": "preview"})
    assert missing.status_code == 400 and 'role="alert"' in missing.content.decode()
    no_key = SimpleUploadedFile("l.csv", b"color,talla\nrojo,M\n")
    bad = client.post(url, {"channel": "email", "source": "file", "file": no_key})
    assert "La lista necesita una columna" in bad.content.decode()
    assert client.get(reverse("distribution:invite", args=[999999])).status_code == 404


def test_invitation_list_counts_filters_and_scoping(
    client: Client, personas: Personas, org: Org
) -> None:
    survey = make_live_survey(org.north_store)
    InvitationFactory(survey=survey, status=Status.ANSWERED, customer__name="Respondió")
    InvitationFactory(survey=survey, status=Status.SENT, customer__name="Pendiente")
    InvitationFactory(
        survey=survey, status=Status.SUPPRESSED, status_detail="no_email", customer__name="Sin"
    )
    url = reverse("distribution:invitations", args=[survey.pk])
    client.force_login(personas.store_manager)
    page = client.get(url).content.decode()
    assert "Todas (3)" in page and "Respondida (1)" in page
    assert "Tasa de respuesta: 50,0 %" in page
    assert "Sin correo electrónico" in page  # the suppression reason, translated
    filtered = client.get(url, {"status": "answered"}).content.decode()
    assert "Respondió" in filtered and "Pendiente" not in filtered
    client.force_login(personas.viewer)  # south region: the north store's survey is not theirs
    assert client.get(url).status_code == 404


def test_bounce_button_and_open_pixel(client: Client, personas: Personas) -> None:
    invitation = InvitationFactory(status=Status.SENT)
    pixel = client.get(reverse("distribution:invitation_pixel", args=[invitation.token]))
    assert pixel.status_code == 200 and pixel["Content-Type"] == "image/gif"
    invitation.refresh_from_db()
    assert invitation.status == Status.OPENED
    assert client.get(reverse("distribution:invitation_pixel", args=["unknown"])).status_code == 200
    client.force_login(personas.admin)
    client.post(reverse("distribution:invitation_bounce", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Status.BOUNCED


class Api:
    def __init__(self, client: Client, user: Any) -> None:
        self.client = client
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'test')[1]}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api{path}", params, **self.auth)

    def post(self, path: str, body: Any) -> Any:
        data = json.dumps(body)
        return self.client.post(f"/api{path}", data, content_type="application/json", **self.auth)


def test_api_creates_a_batch_and_explains_suppressions(
    client: Client, personas: Personas, org: Org
) -> None:
    survey = make_live_survey(org.north_store)
    ok = ContactableCustomerFactory(external_id="OK")
    ContactableCustomerFactory(external_id="NO", consent_to_contact=False)
    api = Api(client, personas.analyst)
    body = {"survey_id": survey.pk, "channel": "email", "external_ids": ["OK", "NO", "??"]}
    response = api.post("/invitations/", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [inv["customer_id"] for inv in data["queued"]] == [ok.pk]
    assert data["suppressed"][0]["reason"] == "no_consent"
    assert data["unknown_external_ids"] == ["??"]
    listed = api.get("/invitations/", survey=survey.pk, status="suppressed").json()
    assert listed["count"] == 1
    assert api.get("/invitations/rates", by="survey,channel").status_code == 200


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"survey_id": 999999, "channel": "email", "customer_ids": [1]}, 404),
        ({"survey_id": 1, "channel": "fax", "customer_ids": [1]}, 422),
        ({"survey_id": 1, "channel": "email"}, 422),
        ({"survey_id": 1, "channel": "email", "customer_ids": ["x"]}, 422),
    ],
)
def test_api_rejects_bad_batches_with_4xx(
    client: Client, personas: Personas, body: dict[str, Any], status: int
) -> None:
    make_live_survey()
    response = Api(client, personas.analyst).post("/invitations/", body)
    assert response.status_code == status
    assert response.json()["detail"]


def test_api_permissions_scoping_and_bounce(client: Client, personas: Personas, org: Org) -> None:
    north = InvitationFactory(survey=make_live_survey(org.north_store), status=Status.SENT)
    InvitationFactory(survey=make_live_survey(org.south_store))
    viewer = Api(client, personas.viewer)
    assert viewer.get("/invitations/").json()["count"] == 1  # only the south one
    assert viewer.get(f"/invitations/{north.pk}").status_code == 404
    assert viewer.post(f"/invitations/{north.pk}/bounce", {}).status_code == 403
    admin = Api(client, personas.admin)
    bounced = admin.post(f"/invitations/{north.pk}/bounce", {"detail": "550 user unknown"})
    assert bounced.status_code == 200 and bounced.json()["status"] == "bounced"
    answered = InvitationFactory(status=Status.ANSWERED)
    assert admin.post(f"/invitations/{answered.pk}/bounce", {}).status_code == 409
    assert admin.get("/invitations/", status="lost").status_code == 422
    assert admin.get("/invitations/rates", by="colour").status_code == 422
    assert Api(client, personas.outsider).get("/invitations/").status_code == 403
