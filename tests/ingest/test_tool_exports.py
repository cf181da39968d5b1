"""Exports in each survey tool's real layout (see fixtures/README.md) → stored responses,
value by value; rows the file cannot say unambiguously are rejected with their row number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from pulso.core.files import ImportFileError
from pulso.core.mapping import load_mapping_file
from pulso.surveys.actions import do_create_survey, do_publish_survey
from pulso.surveys.importers.history import do_import_survey_history
from pulso.surveys.models import Response, Survey
from tests.conftest import Org
from tests.factories import TouchpointFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
MADRID = ZoneInfo("Europe/Madrid")
LAB_QUESTIONS = [
    {
        "key": "eleccion",
        "kind": "single",
        "text_es": "Elige una opción",
        "choices": [
            {"value": "uno", "es": "Opción 1"},
            {"value": "dos", "es": "Opción 2"},
            {"value": "tres", "es": "Opción 3"},
        ],
    },
    {"key": "texto", "kind": "text", "text_es": "Escribe algo"},
]
LAB_MAPPING = {"Q1": "eleccion", "Q2": "texto"}


@pytest.fixture
def lab(org: Org) -> Survey:
    """The two questions of the qualtRics package's sample survey (a choice and a text)."""
    touchpoint = TouchpointFactory(name="Laboratorio", owner_unit=org.north_store)
    survey = do_create_survey("Muestra", touchpoint, questions=LAB_QUESTIONS)
    do_publish_survey(survey)
    survey.refresh_from_db()
    return survey


def run_of(survey: Survey, name: str, **options: Any) -> Any:
    return do_import_survey_history(survey, FIXTURES / name, file_name=name, **options)


def counts(run: Any) -> tuple[int, int, int, int]:
    return run.total, run.created, run.skipped, run.rejected


def answers_of(external_id: str) -> dict[str, Any]:
    response = Response.objects.get(external_id=external_id)
    return {
        a.question.key: a.number if a.number is not None else (a.choices or a.text)
        for a in response.answers.select_related("question")
    }


def test_qualtrics_current_export_from_the_qualtrics_package(lab: Survey) -> None:
    run = run_of(lab, "qualtrics_current_qualtRics_sample.csv", mapping=LAB_MAPPING)
    assert run.kind == "qualtrics" and counts(run) == (1, 1, 0, 0)
    response = Response.objects.get(external_id="R_2YPOQ602ER1jkf1")
    assert answers_of("R_2YPOQ602ER1jkf1") == {"eleccion": ["dos"], "texto": "Hello World!"}
    assert response.submitted_at == dt.datetime(2017, 7, 18, 8, 28, 48, tzinfo=MADRID)
    assert response.started_at == dt.datetime(2017, 7, 18, 8, 28, 9, tzinfo=MADRID)
    assert (response.is_complete, response.channel, response.comment) == (
        True, "link", "Hello World!"
    )  # fmt: skip


def test_qualtrics_legacy_v1_to_v10_export(lab: Survey) -> None:
    run = run_of(lab, "qualtrics_legacy_v1_v10.csv", mapping=LAB_MAPPING)
    assert run.kind == "qualtrics" and counts(run) == (5, 3, 1, 1)
    assert [(r["index"], list(r["errors"])) for r in run.rejects] == [(6, ["eleccion"])]
    assert answers_of("R_2YPOQ602ER1jkf1") == {"eleccion": ["dos"], "texto": "Hello World!"}
    second = Response.objects.get(external_id="R_3LgHTn8kPq2Wx7a")
    assert second.customer is not None and second.customer.external_id == "CLI-0107"
    assert second.comment == "Buena atención, pero la cola era larga"
    assert second.submitted_at == dt.datetime(2017, 7, 19, 10, 4, 40, tzinfo=MADRID)
    assert not Response.objects.filter(external_id="R_1xPreviewOnly00").exists()  # preview
    partial = Response.objects.get(external_id="R_7mPartial0000aa")
    assert (partial.is_complete, answers_of(partial.external_id)) == (False, {"eleccion": ["tres"]})


def test_qualtrics_2016_export_with_response_id_and_single_quoted_import_ids(lab: Survey) -> None:
    run = run_of(lab, "qualtrics_2016_single_quoted.csv", mapping=LAB_MAPPING)
    assert counts(run) == (4, 2, 1, 1)
    assert [r["index"] for r in run.rejects] == [7]  # Q1 blank and Q2 "nan": nothing to store
    assert answers_of("test1") == {"eleccion": ["uno"], "texto": "answer"}
    assert answers_of("R_1fT6aB2016abcde") == {
        "eleccion": ["tres"],
        "texto": "Quería preguntar por el horario de verano",
    }
    assert not Response.objects.filter(external_id="R_2gU7bC2016bcdef").exists()  # test response


def test_surveymonkey_export_with_two_header_rows(survey: Survey) -> None:
    mapping = load_mapping_file(FIXTURES / "surveymonkey_tienda.yaml")
    run = run_of(survey, "surveymonkey_tienda.csv", mapping=mapping)
    assert run.kind == "surveymonkey" and counts(run) == (5, 3, 0, 2)
    assert [(r["index"], list(r["errors"])) for r in run.rejects] == [(6, ["nps"]), (7, ["row"])]
    first = Response.objects.get(external_id="114256789012")
    assert (first.nps, first.csat, first.comment) == (10, 5, "Todo perfecto")  # 1 = muy buena
    assert first.submitted_at == dt.datetime(2023, 11, 6, 10, 44, 3, tzinfo=MADRID)
    assert answers_of(first.external_id)["aspectos"] == ["atencion", "rapidez"]
    assert answers_of(first.external_id)["motivo"] == ["compra"]
    second = Response.objects.get(external_id="114256789013")
    assert (second.nps, second.csat, second.nps_group) == (6, 2, "detractor")
    assert second.submitted_at == dt.datetime(2023, 11, 13, 17, 5, 41, tzinfo=MADRID)
    third = answers_of("114256789014")
    assert third == {"nps": 8, "csat": 4}  # the "other" text has no place in the survey


def test_google_forms_export_in_spanish(survey: Survey) -> None:
    run = run_of(survey, "googleforms_tienda.csv", date_order="dmy")
    assert run.kind == "googleforms" and counts(run) == (4, 3, 0, 1)
    assert [(r["index"], list(r["errors"])) for r in run.rejects] == [(5, ["aspectos"])]
    by_nps = {r.nps: r for r in Response.objects.all()}
    assert by_nps[9].csat == 5 and by_nps[9].comment == "Muy amables"  # "Muy satisfecho"
    assert by_nps[9].submitted_at == dt.datetime(2023, 5, 14, 10, 3, 53, tzinfo=MADRID)
    assert by_nps[3].submitted_at == dt.datetime(2023, 5, 3, 18, 20, 11, tzinfo=MADRID)
    assert (by_nps[3].csat, by_nps[3].comment) == (2, "Más cajas abiertas por la tarde")  # "nan"
    assert (by_nps[10].csat, by_nps[10].comment) == (4, "")  # "Did not answer" is blank
    assert answers_of(by_nps[9].external_id)["aspectos"] == ["atencion", "rapidez"]
    again = run_of(survey, "googleforms_tienda.csv", date_order="dmy")
    assert counts(again) == (4, 0, 3, 1)  # no respondent id: the row itself identifies it


def test_typeform_export_with_one_column_per_choice(survey: Survey) -> None:
    mapping = load_mapping_file(FIXTURES / "typeform_tienda.json")
    run = run_of(survey, "typeform_tienda.csv", mapping=mapping)
    assert run.kind == "typeform" and counts(run) == (4, 3, 0, 1)
    assert [r["index"] for r in run.rejects] == [5]
    first = Response.objects.get(external_id="8f2c1a9d0e3b4c5d6e7f8a9b0c1d2e3f")
    assert (first.nps, first.comment, first.is_complete) == (10, "La rapidez en caja", True)
    assert first.submitted_at == dt.datetime(2023, 9, 1, 8, 1, 10, tzinfo=dt.UTC)
    assert answers_of(first.external_id)["aspectos"] == ["atencion", "rapidez"]
    second = answers_of("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d")
    assert second["detractor_comment"] == "Los precios"
    assert second["comentario"] == "Los precios subieron mucho"
    partial = Response.objects.get(external_id="2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e")
    assert (partial.is_complete, partial.nps) == (False, 9)
    assert partial.submitted_at == dt.datetime(2023, 9, 3, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("name", ["msforms_tienda.csv", "msforms_tienda_sin_dimension.xlsx"])
def test_microsoft_forms_export_csv_and_xlsx(survey: Survey, name: str) -> None:
    run = run_of(survey, name, date_order="mdy")
    assert run.kind == "msforms" and counts(run) == (4, 3, 0, 1)
    assert [(r["index"], list(r["errors"])) for r in run.rejects] == [(5, ["nps"])]
    first = Response.objects.get(external_id="1")
    assert (first.nps, first.comment) == (9, "Muy buen trato")  # not "Comment sentiment"
    assert first.submitted_at == dt.datetime(2024, 3, 1, 10, 13, 40, tzinfo=MADRID)
    assert answers_of("1")["aspectos"] == ["atencion", "precio"]
    assert answers_of("2") == {"nps": 5, "motivo": ["devolucion"], "aspectos": ["rapidez"],
                               "comentario": "La devolución tardó una semana"}  # fmt: skip
    assert Response.objects.get(external_id="3").comment == ""  # "N/A"


def test_limesurvey_other_answer_is_refused_unless_recoded(survey: Survey) -> None:
    mapping: dict[str, Any] = {"MOTIVO": "motivo", "COMENT": "comentario"}
    run = run_of(survey, "limesurvey_otro.csv", mapping=mapping)
    assert run.kind == "limesurvey" and counts(run) == (4, 3, 0, 1)
    assert run.rejects[0]["index"] == 3 and "«Otro»" in run.rejects[0]["errors"]["motivo"]
    assert answers_of("1") == {"nps": 9, "motivo": ["compra"], "comentario": "Genial"}
    assert answers_of("3")["motivo"] == ["consulta"]
    assert Response.objects.get(external_id="4").is_complete is False
    mapping["MOTIVO"] = {"question": "motivo", "values": {"-oth-": "consulta"}}
    again = run_of(survey, "limesurvey_otro.csv", mapping=mapping)
    assert counts(again) == (4, 1, 3, 0)
    assert answers_of("2") == {"nps": 7, "motivo": ["consulta"]}


@pytest.mark.parametrize(
    ("name", "month"), [("surveymonkey_tienda.csv", 11), ("msforms_tienda.csv", 3)]
)
def test_a_month_first_file_is_refused_without_the_date_order(
    survey: Survey, name: str, month: int
) -> None:
    with translation.override("en"), pytest.raises(ImportFileError, match="give the date order"):
        run_of(survey, name)
    assert not Response.objects.exists()
    run = run_of(survey, name, date_order="mdy")
    assert run.created == 3
    dates = Response.objects.values_list("submitted_at", flat=True)
    assert {d.astimezone(MADRID).month for d in dates} == {month}


def test_a_day_first_order_given_to_a_month_first_file_rejects_the_impossible_dates(
    survey: Survey,
) -> None:
    run = run_of(survey, "msforms_tienda.csv", date_order="dmy")
    # 3/1/24 reads as 3 January; 3/14/24 and 3/15/24 have no month 14 or 15
    assert counts(run) == (4, 1, 0, 3)
    assert [list(r["errors"]) for r in run.rejects[:2]] == [["date"], ["date"]]
    assert "día/mes/año" in run.rejects[0]["errors"]["date"]  # in the user's language


def test_any_other_file_is_imported_with_an_explicit_mapping(survey: Survey) -> None:
    """No preset: every column is mapped by the user, blank and repeated headers by position;
    an NHS Friends and Family Test answer "1 = very good" is read on its reversed scale."""
    data = (
        "Ref,Fecha,Puntuación,Puntuación,,Comentario\n"
        "F-1,2024-02-01 09:00,10,1,x,Muy bien atendido\n"
        "F-2,2024-02-02 10:00,3,5,x,nan\n"
        "F-3,2024-02-03 11:00,8,6,x,Escala equivocada\n"
    ).encode()
    with pytest.raises(ImportFileError), translation.override("en"):  # "Puntuación" is twice
        do_import_survey_history(survey, data, mapping={"Puntuación": "nps"})
    with pytest.raises(ImportFileError, match="date"), translation.override("en"):
        do_import_survey_history(survey, data, mapping={"#3": "nps"})
    mapping = {
        "Ref": "respondent_id", "Fecha": "submitted", "#3": "nps",
        "#4": {"question": "csat", "scale": [1, 5], "reverse": True},
        "#5": None, "Comentario": "comentario",
    }  # fmt: skip
    run = do_import_survey_history(survey, data, mapping=mapping, file_name="ffp.csv")
    assert run.kind == "generic" and counts(run) == (3, 2, 0, 1)
    assert [(r["index"], list(r["errors"])) for r in run.rejects] == [(4, ["csat"])]
    first = Response.objects.get(external_id="F-1")
    assert (first.nps, first.csat, first.comment) == (10, 5, "Muy bien atendido")
    second = Response.objects.get(external_id="F-2")
    assert (second.nps, second.csat, second.comment) == (3, 1, "")
    assert second.submitted_at == dt.datetime(2024, 2, 2, 10, tzinfo=MADRID)
