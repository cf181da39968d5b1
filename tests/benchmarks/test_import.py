"""Importing reference values: a file with good and bad rows, Latin-1 and decimal commas,
re-imports that update, and the API batch."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pulso.benchmarks.actions import do_import_reference_file
from pulso.benchmarks.models import ReferenceValue
from pulso.core.files import ImportFileError
from tests.benchmarks.conftest import client_for

pytestmark = pytest.mark.django_db

CSV = """métrica;sector;tipo de interacción;canal;valor;base;fuente;fecha;notas
NPS;Distribución;;;32,5;1.200;Estudio Ejemplo;30/06/2025;Media del sector
CSAT;Distribución;;;78;;Estudio Ejemplo;2025-06-30;
nps;Distribución;incident;Chat;12,0;300;Estudio Ejemplo;30/06/2025;Atención por chat
NPS;Distribución;;;150;;Estudio Ejemplo;30/06/2025;
XYZ;Distribución;;;10;;Estudio Ejemplo;30/06/2025;
NPS;;;;10;;Estudio Ejemplo;30/06/2025;
NPS;Distribución;;fax;10;muchos;Estudio Ejemplo;31/02/2025;
"""


def test_a_latin1_file_stores_good_rows_and_reports_bad_ones(personas: Any) -> None:
    result = do_import_reference_file("sector.csv", CSV.encode("latin-1"), actor=personas.admin)
    assert (result.created, result.updated, len(result.rejected)) == (3, 0, 4)
    rejected = {r["index"]: r["errors"] for r in result.rejected}
    assert set(rejected) == {5, 6, 7, 8}  # spreadsheet row numbers (the header is row 1)
    assert set(rejected[5]) == {"value"}
    assert set(rejected[6]) == {"metric"}
    assert set(rejected[7]) == {"sector"}
    assert set(rejected[8]) == {"channel", "base_n", "published_on"}
    sector = ReferenceValue.objects.get(metric="nps", channel="")
    assert (sector.value, sector.base_n, sector.sector) == (32.5, 1200, "Distribución")
    assert sector.published_on == dt.date(2025, 6, 30)
    assert sector.created_by == personas.admin
    chat = ReferenceValue.objects.get(channel="chat")
    assert (chat.interaction_type, chat.value, chat.base_n) == ("incident", 12.0, 300)
    assert ReferenceValue.objects.get(metric="csat").base_n is None


def test_importing_the_same_file_again_updates_it(personas: Any) -> None:
    do_import_reference_file("sector.csv", CSV.encode("utf-8"))
    again = do_import_reference_file("sector.csv", CSV.replace("32,5", "33").encode("utf-8"))
    assert (again.created, again.updated) == (0, 3)
    assert ReferenceValue.objects.count() == 3
    assert ReferenceValue.objects.get(metric="nps", channel="").value == 33


def test_a_file_without_a_required_column_is_refused() -> None:
    with pytest.raises(ImportFileError, match="Valor|Value"):
        do_import_reference_file("x.csv", b"metrica;sector;fuente;fecha\nNPS;A;B;2025-01-01\n")


def test_the_upload_page_reports_in_spanish(personas: Any) -> None:
    client = client_for(personas.analyst)
    upload = SimpleUploadedFile("sector.csv", CSV.encode("latin-1"), content_type="text/csv")
    response = client.post("/benchmarks/references/import/", {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 valores de referencia creados y 0 actualizados; 4 filas rechazadas." in page
    assert "no es un número" in page or "entre -100 y 100" in page
    assert "core/import_page.html" in {t.name for t in response.templates}  # the shared layout
    assert "<caption>Filas rechazadas</caption>" in page and "Ver los valores de referencia" in page
    empty = SimpleUploadedFile("vacio.csv", b"", content_type="text/csv")
    refused = client.post("/benchmarks/references/import/", {"file": empty})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()


def test_the_api_batch_reports_each_bad_item(personas: Any) -> None:
    items = [
        {"metric": "NPS", "sector": "Banca", "value": "41,5", "source": "Estudio",
         "published_on": "2025-06-30", "base_n": 500, "channel": "call_centre"},
        {"metric": "NPS", "sector": "Banca", "value": 20, "source": "Estudio",
         "published_on": "ayer"},
    ]  # fmt: skip
    body = json.dumps({"items": items})
    response = client_for(personas.analyst).post(
        "/api/benchmarks/references/batch", body, content_type="application/json"
    )
    assert response.status_code == 207
    answer = response.json()
    assert (answer["created"], [r["index"] for r in answer["rejected"]]) == (1, [1])
    assert "published_on" in answer["rejected"][0]["errors"]
    manager = client_for(personas.store_manager).post(
        "/api/benchmarks/references/batch", body, content_type="application/json"
    )
    assert manager.status_code == 403
