"""Feedback files: messy CSVs (encodings, delimiters, bad rows), XLSX, and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from pulso.core.files import ImportFileError, read_table
from pulso.core.mapping import MappingError
from pulso.feedback.actions import do_import_feedback_rows
from pulso.feedback.importing import (
    FileSettings,
    complete_mapping,
    detect_mapping,
    rejects_csv,
    rows_to_items,
)
from pulso.feedback.models import Feedback, ImportRun
from tests.conftest import Org

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
MESSY_MAPPING = {"Valoración": "rating", "Opinión": "text"}
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
        (  # a review platform's export: only exact spellings are mapped
            ["Review ID", "Reviewer Name", "Star Rating", "Review Text", "Review Date", "Location"],
            {"external_id": 0},
        ),
        (  # words a header merely contains are not guessed
            ["Comment sentiment", "Which programming languages have you used", "Network ID",
             "Location (Census Region)", "Comentario", "Fecha", "Idioma"],
            {"text": 4, "received_at": 5, "language": 6},
        ),
    ],
)  # fmt: skip
def test_only_headers_spelled_exactly_are_mapped(
    headers: list[str], expected: dict[str, int]
) -> None:
    assert detect_mapping(headers) == expected


def test_a_mapping_maps_unmaps_and_picks_duplicate_or_blank_headers() -> None:
    headers = ["Fecha", "Comentario", "Comentario", "", "Idioma"]
    explicit = {"#3": "text", "#4": "external_id", "Idioma": None, "Fecha": "received_at"}
    assert complete_mapping(headers, explicit) == {"received_at": 0, "text": 2, "external_id": 3}
    with pytest.raises(MappingError, match="#2, #3"), translation.override("en"):
        complete_mapping(headers, {"Comentario": "text"})
    with pytest.raises(MappingError), translation.override("en"):
        complete_mapping(headers, {"Fecha": "fecha_de_compra"})


def import_bytes(
    data: bytes,
    name: str = "opiniones.csv",
    settings: FileSettings | None = None,
    mapping: dict[str, str] | None = None,
    **defaults: str,
) -> ImportRun:
    table = read_table(data, name)
    mapping = complete_mapping(table.headers, mapping or {})
    items, rejects = rows_to_items(table, mapping, defaults, settings or FileSettings("dmy"))
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
    run = import_bytes(data, mapping=MESSY_MAPPING, source="review", source_name="Google")
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
    import_bytes(MESSY_CSV.encode("utf-8"), mapping=MESSY_MAPPING, source="review")
    edited = MESSY_CSV.replace("volveré", "volveré pronto")
    again = import_bytes(edited.encode("utf-8"), mapping=MESSY_MAPPING, source="review")
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


def test_each_file_is_read_in_its_own_date_order(org: Org) -> None:
    american = b"Fecha,Texto,Id\n3/4/2025 6:30 PM,Entrega puntual,us-1\n"
    european = (
        b"Fecha,Texto,Id\n04.03.2025 18:30,Muy amables,eu-1\n2025-03-04T18:30:00,Bien,iso-1\n"
    )
    with pytest.raises(ImportFileError, match="date order"), translation.override("en"):
        import_bytes(american, source="review", settings=FileSettings())
    import_bytes(american, source="review", settings=FileSettings("mdy"))
    import_bytes(european, source="review", settings=FileSettings("dmy"))
    for external_id in ("us-1", "eu-1", "iso-1"):
        received = Feedback.objects.get(external_id=external_id).received_at
        assert received == dt.datetime(2025, 3, 4, 18, 30, tzinfo=MADRID)


def test_rating_scales_and_directions_are_per_file(org: Org) -> None:
    ten = b"Texto,Nota,Id\nMuy bien,9,a-1\nRegular,6,a-2\nnan,8,a-3\n"
    settings = FileSettings(rating_scale=(0, 10))
    run = import_bytes(ten, mapping={"Nota": "rating"}, source="review", settings=settings)
    assert (run.created, run.rejected) == (2, 1)  # "nan" is no text: rejected, not stored
    assert Feedback.objects.get(external_id="a-1").rating_ratio == 0.9
    friends_and_family = b"Texto,Nota,Id\nMuy buena,1,f-1\nMuy mala,5,f-2\nDid not answer,3,f-3\n"
    settings = FileSettings(rating_scale=(1, 5), reverse_rating=True)
    run = import_bytes(friends_and_family, mapping={"Nota": "rating"}, source="review",
                       settings=settings)  # fmt: skip
    assert (run.created, run.rejected) == (2, 1)
    assert Feedback.objects.get(external_id="f-1").rating == 5  # 1 = very good
    assert Feedback.objects.get(external_id="f-2").rating == 1


def test_cli_reads_a_yaml_mapping_file_with_scale_and_date_order(org: Org, tmp_path: Path) -> None:
    path = tmp_path / "ffp.csv"
    path.write_text("Date,Comment sentiment,Comment,Score,Ref\n"
                    "1/3/2020,Positive,Very good staff,1,x-1\n")  # fmt: skip
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("Comment: text\nScore: rating\nRef: external_id\nDate: received_at\n")
    args = [str(path), "--source", "review", "--mapping", str(mapping)]
    with pytest.raises(CommandError):
        call_command("import_feedback", *args, stdout=io.StringIO())
    call_command("import_feedback", *args, "--date-order", "mdy", "--rating-scale", "1-5",
                 "--reverse-rating", stdout=io.StringIO())  # fmt: skip
    item = Feedback.objects.get()
    assert (item.text, item.rating) == ("Very good staff", 5)
    assert item.received_at == dt.datetime(2020, 1, 3, tzinfo=MADRID)


def test_rejected_rows_are_numbered_as_a_spreadsheet_shows_them(org: Org) -> None:
    data = (
        'Texto,Valoración,Id\n"Primera línea\nsegunda línea",4,m-1\nSin nota válida,nueve,m-2\n'
    ).encode()
    run = import_bytes(data, source="review")
    assert (run.created, run.rejected) == (1, 1)
    assert run.rejects[0]["index"] == 3  # the third row, though the fourth line of the file


def test_xlsx_without_a_dimension_element_keeps_rows_with_empty_last_cells(org: Org) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Texto", "Id", "Autor"])
    sheet.append(["Entrega rápida", "x-1", "Ana"])
    sheet.append(["Nadie me atendió", "x-2"])  # the last cell left out, as sheets do
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            out.writestr(item, data)
    run = import_bytes(stripped.getvalue(), name="sin_dimension.xlsx", source="review")
    assert (run.created, run.rejected) == (2, 0), run.rejects
    assert Feedback.objects.get(external_id="x-2").author == ""
