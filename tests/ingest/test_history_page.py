"""The survey-history import page: dry run, import, who may use it, where it is linked."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pulso.surveys.models import Response, Survey
from tests.conftest import Personas
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parents[2] / "src/pulso/surveys/importers/samples"


def login(client: Client, user: object) -> Client:
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)  # type: ignore[attr-defined]
    return client


def test_survey_history_upload_page(client: Client, personas: Personas, survey: Survey) -> None:
    login(client, personas.analyst)
    assert client.get("/surveys/import-history/").status_code == 200
    data = (SAMPLES / "qualtrics_tienda.csv").read_bytes()
    upload = SimpleUploadedFile("qualtrics.csv", data, content_type="text/csv")
    form = {"survey": survey.pk, "format": "qualtrics", "file": upload, "dry_run": "on"}
    dry = client.post("/surveys/import-history/", form)
    assert dry.status_code == 200 and Response.objects.count() == 0
    upload = SimpleUploadedFile("qualtrics.csv", data, content_type="text/csv")
    done = client.post("/surveys/import-history/", {**form, "file": upload, "dry_run": ""})
    assert done.status_code == 302 and Response.objects.count() == 6
    client.logout()
    login(client, personas.store_manager)
    assert client.get("/surveys/import-history/").status_code == 403


def test_survey_list_links_the_history_import_for_those_who_may_use_it(
    client: Client, personas: Personas
) -> None:
    login(client, personas.analyst)
    assert "/surveys/import-history/" in client.get("/surveys/").content.decode()
    client.logout()
    login(client, personas.store_manager)
    assert "/surveys/import-history/" not in client.get("/surveys/").content.decode()


FIXTURES = Path(__file__).parent / "fixtures"


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type="text/csv")


def test_preview_shows_the_mapping_and_the_first_rows_as_stored(
    client: Client, personas: Personas, survey: Survey
) -> None:
    login(client, personas.analyst)
    form = {"survey": survey.pk, "format": "auto", "date_order": "mdy", "action": "preview",
            "mapping": "¿Cómo valorarías la atención? (1 = muy buena, 5 = muy mala): "
                       "{question: csat, scale: [1, 5], reverse: true}"}  # fmt: skip
    monkey = "surveymonkey_tienda.csv"
    page = client.post("/surveys/import-history/", {**form, "file": upload(monkey)},
                       HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 200 and "surveymonkey" in html
    assert "End Date</td><td>submitted" in html and "114256789012" in html
    assert "2023-11-06 10:44:03" in html  # month first, as the order says
    assert not Response.objects.exists()
    done = client.post("/surveys/import-history/",
                       {**form, "action": "import", "file": upload(monkey)})  # fmt: skip
    assert done.status_code == 302 and Response.objects.count() == 3
    assert Response.objects.get(external_id="114256789012").csat == 5


def test_a_month_first_file_without_its_date_order_is_a_form_error(
    client: Client, personas: Personas, survey: Survey
) -> None:
    login(client, personas.analyst)
    form = {"survey": survey.pk, "format": "msforms", "file": upload("msforms_tienda.csv")}
    page = client.post("/surveys/import-history/", form, HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 400 and not Response.objects.exists()
    assert "orden" in page.content.decode()


def test_an_import_can_be_undone_from_its_report(
    client: Client, personas: Personas, survey: Survey
) -> None:
    login(client, personas.analyst)
    form = {"survey": survey.pk, "format": "auto", "date_order": "dmy", "action": "import",
            "file": upload("googleforms_tienda.csv")}  # fmt: skip
    report = client.post("/surveys/import-history/", form)
    assert report.status_code == 302 and Response.objects.count() == 3
    assert "Deshacer esta importación" in client.get(report["Location"]).content.decode()
    undone = client.post(report["Location"] + "undo/")
    assert undone.status_code == 302 and not Response.objects.exists()
    client.logout()
    login(client, personas.store_manager)
    assert client.post(report["Location"] + "undo/").status_code in (403, 404)
