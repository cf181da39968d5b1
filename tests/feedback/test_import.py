"""Feedback files: messy CSVs (encodings, delimiters, bad rows), XLSX, and the CLI."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from pulso.core.files import read_table
from pulso.feedback.actions import do_import_feedback_rows
from pulso.feedback.importing import detect_mapping, rejects_csv, rows_to_items
from pulso.feedback.models import Feedback, ImportRun
from tests.conftest import Org

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
MESSY_CSV = (
    "Fecha;Valoración;Opinión;Tienda;Cliente;Id\r\n"
    "03/02/2025 18:30;4,5;Muy buena atención, volveré;bilbao;C-1;rev-1\r\n"
    "04/02/2025;1;El probador estaba sucio y nadie atendía;sevilla;;rev-2\r\n"
    "05/02/2025;3;Falta una columna;bilbao\r\n"
    "31/02/2025;2;Fecha imposible;bilbao;;rev-4\r\n"
    "06/02/2025;7;Nota fuera de escala;bilbao;;rev-5\r\n"
    "07/02/2025;;;bilbao;;rev-6\r\n"
    "08/02/2025;5;Tienda desconocida;marte;;rev-7\r\n"
    "\r\n"
    "09/02/2025;5;Excelente café en la zona de espera;sevilla;C-1;rev-8\r\n"
)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (  # a review platform's export
            ["Review ID", "Reviewer Name", "Star Rating", "Review Text", "Review Date", "Location"],
            {"external_id": 0, "author": 1, "rating": 2, "text": 3, "received_at": 4,
             "org_unit": 5},
        ),
        (  # a contact-centre tool in Spanish
            ["Ticket", "Fecha de creación", "Asunto", "Descripción", "Canal", "ID cliente"],
            {"external_id": 0, "received_at": 1, "text": 3, "channel": 4, "customer": 5},
        ),
        (  # titles before bodies, and a store's name is a store
            ["Review Title", "Review Content", "Review Stars", "Nombre de la tienda"],
            {"text": 1, "rating": 2, "org_unit": 3},
        ),
    ],
)  # fmt: skip
def test_headers_of_real_exports_are_recognised(
    headers: list[str], expected: dict[str, int]
) -> None:
    assert detect_mapping(headers) == expected


def import_bytes(data: bytes, name: str = "opiniones.csv", **defaults: str) -> ImportRun:
    table = read_table(data, name)
    items, rejects = rows_to_items(table, detect_mapping(table.headers), defaults)
    return do_import_feedback_rows(items, rejects=rejects, file_name=name)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("cp1252"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.replace(";", "\t").encode("utf-8"),
        lambda text: (
            text.replace(";", ",")
            .replace("4,5", '"4,5"')
            .replace("Muy buena atención, volveré", '"Muy buena atención, volveré"')
            .encode("latin-1")
        ),
    ],
    ids=["cp1252-semicolon", "utf8-bom", "utf8-tab", "latin1-comma"],
)
def test_messy_csv_keeps_good_rows_and_reports_bad_ones(org: Org, encode: object) -> None:
    data = encode(MESSY_CSV)  # type: ignore[operator]
    run = import_bytes(data, source="review", source_name="Google")
    assert (run.total, run.created, run.rejected) == (8, 3, 5)
    reasons = {reject["index"]: reject["errors"] for reject in run.rejects}
    assert sorted(reasons) == [4, 5, 6, 7, 8]
    assert "row" in reasons[4] and "received_at" in reasons[5] and "rating" in reasons[6]
    assert "text" in reasons[7] and "org_unit" in reasons[8]
    first = Feedback.objects.get(external_id="rev-1")
    assert first.received_at == dt.datetime(2025, 2, 3, 18, 30, tzinfo=MADRID)
    assert (first.rating, first.source_name) == (Decimal("4.5"), "Google")
    assert first.org_unit == org.north_store
    assert first.text == "Muy buena atención, volveré"
    assert first.customer is not None and first.customer.external_id == "C-1"
    report = rejects_csv(run.rejects)
    assert report.startswith("\ufeff") and report.count("\n") == 6
    assert "\n5;received_at;" in report


def test_reimporting_a_file_updates_rows_with_the_same_id(org: Org) -> None:
    import_bytes(MESSY_CSV.encode("utf-8"), source="review")
    edited = MESSY_CSV.replace("volveré", "volveré pronto")
    again = import_bytes(edited.encode("utf-8"), source="review")
    assert (again.created, again.updated) == (0, 3)
    assert Feedback.objects.count() == 3
    assert Feedback.objects.get(external_id="rev-1").text.endswith("volveré pronto")


def test_xlsx_with_real_dates_and_numbers(org: Org) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Fuente", "Texto", "Puntuación", "Escala", "Fecha", "Unidad"])
    # Excel cells hold naive dates: they are read in the project's time zone.
    day = dt.datetime(2025, 1, 10, 9, 0)  # noqa: DTZ001
    sheet.append(["Reseña", "Gran servicio", 9, 10, day, "cc"])
    sheet.append(["twitter", "Nadie contesta", None, None, day + dt.timedelta(days=1), "cc"])
    sheet.append(["carta", "Fuente desconocida", 3, 5, day + dt.timedelta(days=2), "cc"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = import_bytes(buffer.getvalue(), name="notas.xlsx")
    assert (run.created, run.rejected) == (2, 1)
    assert run.rejects[0]["index"] == 4 and "source" in run.rejects[0]["errors"]
    review = Feedback.objects.get(source="review")
    assert (review.rating, review.rating_scale_max) == (9, 10)
    assert review.received_at == dt.datetime(2025, 1, 10, 9, tzinfo=MADRID)
    social = Feedback.objects.get(source="social")
    assert (social.channel, social.org_unit) == ("social", org.contact_centre)


def test_cli_imports_with_an_explicit_mapping_and_a_dry_run(org: Org, tmp_path: Path) -> None:
    path = tmp_path / "notas.csv"
    path.write_text("Cuando,Lo que dijo,Ref\n2025-03-01 10:00,Quería darse de baja,n-1\n")
    out = io.StringIO()
    mapping = ["--mapping", "Lo que dijo=text", "Cuando=received_at"]
    args = [str(path), "--source", "contact_centre", *mapping]
    call_command("import_feedback", *args, "--dry-run", stdout=out)
    assert "created 1" in out.getvalue() and Feedback.objects.count() == 0
    report = tmp_path / "rechazos.csv"
    call_command("import_feedback", *args, "--report", str(report), stdout=out)
    item = Feedback.objects.get()
    assert (item.text, item.channel) == ("Quería darse de baja", "call_centre")
    assert report.exists()
    assert ImportRun.objects.get().kind == "cli"


def test_regional_dates_are_read(org: Org) -> None:
    data = (
        "Fecha,Opinión,Id\n"
        "3/4/2025 6:30 PM,Entrega puntual,us-1\n"
        "04.03.2025 18:30,Muy amables,eu-1\n"
        "2025-03-04T18:30:00,Todo bien,iso-1\n"
    ).encode()
    run = import_bytes(data, source="review")
    assert (run.created, run.rejected) == (3, 0), run.rejects
    for external_id in ("us-1", "eu-1", "iso-1"):
        received = Feedback.objects.get(external_id=external_id).received_at
        assert received == dt.datetime(2025, 3, 4, 18, 30, tzinfo=MADRID)
