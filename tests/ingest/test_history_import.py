"""End to end: the shipped Qualtrics and LimeSurvey sample exports → stored responses."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pulso.core.files import ImportFileError
from pulso.surveys.importers.history import do_import_survey_history
from pulso.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parents[2] / "src/pulso/surveys/importers/samples"
MADRID = ZoneInfo("Europe/Madrid")
LIME_MAPPING = {
    "MEJORAR": "detractor_comment",
    "FALTO": "passive_comment",
    "GUSTO": "promoter_comment",
    "COMENT": "comentario",
}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def answers_of(response: Response) -> dict[str, object]:
    return {
        a.question.key: a.number if a.number is not None else (a.choices or a.text)
        for a in response.answers.select_related("question")
    }


def test_qualtrics_export_is_imported(survey: Survey) -> None:
    run = do_import_survey_history(
        survey, sample("qualtrics_tienda.csv"), fmt="qualtrics", file_name="qualtrics_tienda.csv"
    )
    assert (run.total, run.created, run.skipped, run.rejected) == (8, 6, 1, 1)
    assert [(r["index"], list(r["errors"])) for r in run.rejects] == [(9, ["nps"])]
    first = Response.objects.get(external_id="R_1a2B3c4D5e6F7g8")
    assert (first.nps, first.csat, first.channel, first.is_complete) == (10, 5, "email", True)
    assert first.submitted_at == dt.datetime(2024, 3, 4, 9, 12, 33, tzinfo=MADRID)
    assert first.customer is not None and first.customer.external_id == "CLI-0001"
    assert answers_of(first)["motivo"] == ["compra"]
    assert "La atención de Lucía fue excelente" in first.comment
    assert "Volveré seguro" in first.comment
    detractor = Response.objects.get(external_id="R_8hI9j0K1l2M3n4O")
    assert (detractor.nps, detractor.csat, detractor.nps_group) == (0, 1, "detractor")
    assert answers_of(detractor)["detractor_comment"].startswith("El producto llegó roto")
    partial = Response.objects.get(external_id="R_4dE5f6G7h8I9j0K")
    assert (partial.is_complete, partial.nps, partial.channel) == (False, 6, "link")
    assert not Response.objects.filter(external_id="R_5eF6g7H8i9J0k1L").exists()  # preview


def test_qualtrics_tsv_export_in_utf16_is_imported(survey: Survey) -> None:
    """Qualtrics' TSV download (and Excel's "Unicode text") is UTF-16 with tabs."""
    rows = list(csv.reader(io.StringIO(sample("qualtrics_tienda.csv").decode("utf-8-sig"))))
    tsv = io.StringIO()
    csv.writer(tsv, delimiter="\t").writerows(rows)
    data = codecs.BOM_UTF16_LE + tsv.getvalue().encode("utf-16-le")
    run = do_import_survey_history(survey, data, fmt="qualtrics", file_name="tienda.tsv")
    assert (run.total, run.created, run.skipped, run.rejected) == (8, 6, 1, 1)
    first = Response.objects.get(external_id="R_1a2B3c4D5e6F7g8")
    assert "La atención de Lucía fue excelente" in first.comment


def test_importing_the_same_export_twice_skips_what_is_already_there(survey: Survey) -> None:
    data = sample("qualtrics_tienda.csv")
    do_import_survey_history(survey, data, fmt="qualtrics")
    again = do_import_survey_history(survey, data, fmt="qualtrics")
    assert (again.created, again.skipped, again.rejected) == (0, 7, 1)
    assert Response.objects.count() == 6


def test_incomplete_rows_can_be_skipped_and_dry_runs_store_nothing(survey: Survey) -> None:
    data = sample("qualtrics_tienda.csv")
    dry = do_import_survey_history(survey, data, fmt="qualtrics", dry_run=True)
    assert dry.created == 6 and dry.pk is None
    assert Response.objects.count() == 0
    run = do_import_survey_history(survey, data, fmt="qualtrics", skip_incomplete=True)
    assert (run.created, run.skipped) == (5, 2)
    assert not Response.objects.filter(is_complete=False).exists()


def test_limesurvey_export_with_codes_and_an_explicit_mapping(survey: Survey) -> None:
    run = do_import_survey_history(
        survey, sample("limesurvey_tienda_codigos.csv"), fmt="limesurvey", mapping=LIME_MAPPING
    )
    assert (run.total, run.created, run.skipped, run.rejected) == (6, 5, 0, 1)
    assert run.rejects[0]["index"] == 6 and "date" in run.rejects[0]["errors"]
    first = Response.objects.get(external_id="1")
    assert (first.nps, first.csat, first.language) == (9, 5, "es")
    assert answers_of(first)["aspectos"] == ["atencion", "rapidez"]
    assert answers_of(first)["motivo"] == ["compra"]
    assert first.comment == "Me asesoraron muy bien sobre el colchón\n\nLa tienda estaba muy limpia"
    assert first.submitted_at == dt.datetime(2024, 5, 2, 18, 22, 10, tzinfo=MADRID)
    assert Response.objects.get(external_id="3").is_complete is False
    english = Response.objects.get(external_id="6")
    assert (english.language, english.customer.external_id) == ("en", "CLI-0002")  # type: ignore[union-attr]
    assert answers_of(english)["passive_comment"] == "Better prices on the sofas"


def test_limesurvey_export_with_full_texts_is_mapped_automatically(survey: Survey) -> None:
    run = do_import_survey_history(
        survey, sample("limesurvey_tienda_respuestas.csv"), fmt="limesurvey", skip_incomplete=True
    )
    assert (run.created, run.skipped, run.rejected) == (3, 1, 1)
    assert run.rejects[0]["index"] == 6 and "motivo" in run.rejects[0]["errors"]  # "Otro"
    scores = dict(Response.objects.values_list("external_id", "csat"))
    assert scores == {"11": 5, "12": 1, "13": 3}
    assert answers_of(Response.objects.get(external_id="12"))["motivo"] == ["devolucion"]
    assert answers_of(Response.objects.get(external_id="13"))["aspectos"] == ["precio"]


def test_unreadable_files_raise_a_readable_error(survey: Survey) -> None:
    with pytest.raises(ImportFileError):
        do_import_survey_history(survey, b"", fmt="qualtrics")
    with pytest.raises(ImportFileError, match="LimeSurvey"):
        do_import_survey_history(survey, b"foo,bar\n1,2\n", fmt="limesurvey")
    with pytest.raises(ImportFileError, match="Qualtrics"):
        do_import_survey_history(survey, sample("limesurvey_tienda_codigos.csv"), fmt="qualtrics")
    empty = b"id,submitdate,NADA\n1,2024-01-01 10:00:00,x\n"
    with pytest.raises(ImportFileError, match="No column is mapped"), translation.override("en"):
        do_import_survey_history(survey, empty, fmt="limesurvey")
    assert not Response.objects.exists()


def test_cli_imports_a_limesurvey_export(survey: Survey, tmp_path: Path) -> None:
    out = io.StringIO()
    path = SAMPLES / "limesurvey_tienda_codigos.csv"
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("".join(f"{column}: {key}\n" for column, key in LIME_MAPPING.items()))
    report = tmp_path / "rechazos.csv"
    with translation.override("en"):
        call_command(
            "import_survey_history", "--format", "limesurvey", "--survey", str(survey.pk),
            str(path), "--mapping", str(mapping), "--skip-incomplete", "--report", str(report),
            stdout=out,
        )  # fmt: skip
    assert "6 rows: created 4, skipped 1, rejected 1" in out.getvalue()
    assert "NPS → nps" in out.getvalue()
    assert Response.objects.count() == 4 and "6;date;" in report.read_text()
    with pytest.raises(CommandError):
        call_command("import_survey_history", "--format", "qualtrics", "--survey", "0", str(path))


def test_offline_app_responses_are_kept_and_spam_is_skipped(survey: Survey) -> None:
    rows = list(csv.reader(io.StringIO(sample("qualtrics_tienda.csv").decode("utf-8-sig"))))
    status = rows[0].index("Status")
    rows[3][status], rows[4][status] = "Offline", "Spam"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    run = do_import_survey_history(survey, out.getvalue().encode(), fmt="qualtrics")
    assert Response.objects.filter(external_id=rows[3][rows[0].index("ResponseId")]).exists()
    assert not Response.objects.filter(external_id=rows[4][rows[0].index("ResponseId")]).exists()
    assert (run.created, run.skipped) == (5, 2)


def test_qualtrics_dates_are_read_in_the_time_zone_the_export_names(survey: Survey) -> None:
    data = sample("qualtrics_tienda.csv").replace(b"Europe/Madrid", b"America/Mexico_City")
    do_import_survey_history(survey, data, fmt="qualtrics")
    first = Response.objects.get(external_id="R_1a2B3c4D5e6F7g8")
    mexico = ZoneInfo("America/Mexico_City")
    assert first.submitted_at == dt.datetime(2024, 3, 4, 9, 12, 33, tzinfo=mexico)


def test_limesurvey_headings_with_code_and_text_are_mapped_by_their_text(survey: Survey) -> None:
    """LimeSurvey's "question code & question text" headings: "NPS. ¿Con qué…?"."""
    text = sample("limesurvey_tienda_respuestas.csv").decode("utf-8-sig")
    full = list(csv.reader(io.StringIO(text), delimiter=";"))
    codes = next(
        csv.reader(io.StringIO(sample("limesurvey_tienda_codigos.csv").decode("utf-8-sig")))
    )
    questions = len(full[0]) - 7
    full[0][7:] = [
        f"{code}. {text}" for code, text in zip(codes[-questions:], full[0][7:], strict=True)
    ]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(full)
    run = do_import_survey_history(
        survey, out.getvalue().encode(), fmt="limesurvey", skip_incomplete=True
    )
    assert (run.created, run.skipped, run.rejected) == (3, 1, 1)
    assert dict(Response.objects.values_list("external_id", "csat")) == {"11": 5, "12": 1, "13": 3}
    assert answers_of(Response.objects.get(external_id="13"))["aspectos"] == ["precio"]
