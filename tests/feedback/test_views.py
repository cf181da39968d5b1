"""The feedback pages: explorer, file import wizard, report and CSV."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pulso.feedback.models import Feedback, ImportRun
from tests.conftest import Org, Personas
from tests.factories import DEFAULT_PASSWORD, FeedbackFactory

pytestmark = pytest.mark.django_db

CSV = (
    "Fecha;Valoración;Opinión;Tienda\n"
    "03/02/2025;4;Muy buena atención;bilbao\n"
    "04/02/2025;9;Nota imposible;bilbao\n"
    "05/02/2025;2;Tienda que no existe;marte\n"
).encode("cp1252")


def login(client: Client, user: object) -> Client:
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)  # type: ignore[attr-defined]
    return client


def test_explorer_lists_visible_feedback_in_spanish(
    client: Client, personas: Personas, org: Org
) -> None:
    FeedbackFactory(org_unit=org.north_store, text="El probador del norte")
    FeedbackFactory(org_unit=org.south_store, text="La caja del sur")
    body = login(client, personas.store_manager).get("/feedback/").content.decode()
    assert "<h1>Opiniones</h1>" in body
    assert "El probador del norte" in body and "La caja del sur" not in body
    filtered = client.get("/feedback/?q=sur").content.decode()
    assert "El probador del norte" not in filtered
    assert client.get("/feedback/?date_from=nope").status_code == 200


def test_file_import_wizard_from_upload_to_report(
    client: Client, personas: Personas, org: Org
) -> None:
    login(client, personas.analyst)
    upload = SimpleUploadedFile("opiniones.csv", CSV, content_type="text/csv")
    response = client.post("/feedback/import/", {"file": upload, "source": "review"})
    assert response.status_code == 302
    map_url = response["Location"]
    page = client.get(map_url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["text"].initial == "2" and form["rating"].initial == "1"
    mapping = {name: form[name].initial or "" for name in form.fields}
    refused = client.post(map_url, {**mapping, "preview": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "give the date order" in refused.content.decode()
    mapping["date_order"] = "dmy"  # 03/02/2025 is 3 February
    preview = client.post(map_url, {**mapping, "preview": "1"})
    rows = preview.context["preview"]
    assert [bool(row["errors"]) for row in rows] == [False, True, True]
    assert Feedback.objects.count() == 0
    done = client.post(map_url, {**mapping, "import": "1"})
    run = ImportRun.objects.get()
    assert done["Location"] == f"/feedback/imports/{run.pk}/"
    assert (run.created, run.rejected, run.created_by) == (1, 2, personas.analyst)
    report = client.get(done["Location"]).content.decode()
    assert "Tienda que no existe" not in report and "marte" in report
    csv = client.get(f"/feedback/imports/{run.pk}/rejected.csv")
    assert csv["Content-Type"].startswith("text/csv") and "3;rating;" in csv.content.decode()
    assert client.get(map_url).status_code == 404  # the upload is gone once imported


def test_unreadable_uploads_and_other_peoples_reports(
    client: Client, personas: Personas, org: Org
) -> None:
    login(client, personas.analyst)
    empty = SimpleUploadedFile("vacio.csv", b"", content_type="text/csv")
    response = client.post("/feedback/import/", {"file": empty})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    run = ImportRun.objects.create(kind="file", created_by=personas.admin)
    assert client.get(f"/feedback/imports/{run.pk}/").status_code == 404
    client.logout()
    login(client, personas.viewer)
    assert client.get("/feedback/import/").status_code == 403
