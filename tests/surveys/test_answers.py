from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pulso.surveys.answers import MAX_TEXT_LENGTH, InvalidAnswers, validate_answers
from pulso.surveys.models import Survey, SurveyVersion
from tests.surveys.factories import EVERY_KIND, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def version() -> SurveyVersion:
    survey: Survey = make_survey(questions=EVERY_KIND)
    assert survey.current_version is not None
    return survey.current_version


def errors_for(version: SurveyVersion, raw: dict[str, Any], **kwargs: Any) -> dict[str, str]:
    with pytest.raises(InvalidAnswers) as info:
        validate_answers(version, raw, **kwargs)
    return info.value.errors


def test_every_type_is_cleaned_and_scores_are_denormalised(version: SurveyVersion) -> None:
    clean = validate_answers(
        version,
        {
            "nps": "3",
            "why_low": "  La cola era eterna ",
            "csat": 2,
            "ces": "7",
            "stars": 10,
            "reason": "precio",
            "price_detail": "Más barato",
            "topics": ["entrega", "precio", "entrega"],
            "comment": "",
        },
    )
    assert clean.values == {
        "nps": 3,
        "why_low": "La cola era eterna",
        "csat": 2,
        "ces": 7,
        "stars": 10,
        "reason": "precio",
        "price_detail": "Más barato",
        "topics": ["entrega", "precio"],
    }
    assert (clean.nps, clean.csat, clean.ces) == (3, 2, 7)
    assert clean.comment == "La cola era eterna\n\nMás barato"
    assert clean.answer_fields("reason") == {"number": None, "text": "", "choices": ["precio"]}
    assert clean.answer_fields("nps") == {"number": 3, "text": "", "choices": []}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("nps", 11, "Valor fuera de rango (0–10)."),
        ("nps", -1, "Valor fuera de rango (0–10)."),
        ("csat", 0, "Valor fuera de rango (1–5)."),
        ("csat", 6, "Valor fuera de rango (1–5)."),
        ("ces", 8, "Valor fuera de rango (1–7)."),
        ("stars", 11, "Valor fuera de rango (1–10)."),
        ("csat", "tres", "Introduce un número entero."),
        ("csat", 2.5, "Introduce un número entero."),
        ("csat", True, "Introduce un número entero."),
        ("reason", "otro", "Opción desconocida: otro"),
        ("reason", ["precio", "entrega"], "Elige una sola opción."),
        ("topics", ["precio", "nada"], "Opción desconocida: nada"),
        ("comment", {"a": 1}, "Introduce un texto."),
    ],
)
def test_invalid_values_are_reported_in_spanish(
    version: SurveyVersion, key: str, value: Any, message: str
) -> None:
    assert errors_for(version, {"nps": 9, key: value}) == {key: message}


def test_numeric_edges_are_accepted(version: SurveyVersion) -> None:
    clean = validate_answers(version, {"nps": 0, "csat": 5, "ces": 1, "stars": "1"})
    assert clean.values == {"nps": 0, "csat": 5, "ces": 1, "stars": 1}


def test_required_question_and_unknown_keys(version: SurveyVersion) -> None:
    errors = errors_for(version, {"nps": "", "colour": "azul"})
    assert errors == {
        "nps": "Esta pregunta es obligatoria.",
        "colour": "Pregunta desconocida: colour",
    }


def test_partial_answers_may_leave_required_questions_out(version: SurveyVersion) -> None:
    clean = validate_answers(version, {"csat": 4}, partial=True)
    assert clean.values == {"csat": 4} and clean.nps is None
    assert errors_for(version, {"csat": 9}, partial=True) == {"csat": "Valor fuera de rango (1–5)."}


def test_oversized_text_is_refused(version: SurveyVersion) -> None:
    errors = errors_for(version, {"nps": 9, "comment": "x" * (MAX_TEXT_LENGTH + 1)})
    assert errors == {"comment": "La respuesta es demasiado larga (máximo 10000 caracteres)."}
    clean = validate_answers(version, {"nps": 9, "comment": "x" * MAX_TEXT_LENGTH})
    assert len(clean.comment) == MAX_TEXT_LENGTH


@pytest.mark.parametrize(("score", "shown"), [(0, True), (6, True), (7, False), (10, False)])
def test_follow_up_is_kept_only_for_its_nps_group(
    version: SurveyVersion, score: int, shown: bool
) -> None:
    clean = validate_answers(version, {"nps": score, "why_low": "Lento"})
    assert ("why_low" in clean.values) is shown
    assert clean.comment == ("Lento" if shown else "")


def test_hidden_questions_are_not_validated_nor_required(version: SurveyVersion) -> None:
    version.questions.filter(key="price_detail").update(required=True)
    clean = validate_answers(
        version, {"nps": 10, "reason": "atencion", "price_detail": "x" * 20000}
    )
    assert "price_detail" not in clean.values
    errors = errors_for(version, {"nps": 10, "reason": "precio"})
    assert errors == {"price_detail": "Esta pregunta es obligatoria."}


def test_messages_follow_the_active_language(version: SurveyVersion) -> None:
    with translation.override("en"):
        errors = errors_for(version, {"nps": 12})
    assert errors == {"nps": "Value out of range (0–10)."}


def test_default_nps_template_has_a_follow_up_per_group() -> None:
    survey = make_survey("nps")
    assert survey.current_version is not None
    for score, key in [(2, "detractor_comment"), (8, "passive_comment"), (10, "promoter_comment")]:
        raw = {"nps": score, "detractor_comment": "a", "passive_comment": "b"}
        raw["promoter_comment"] = "c"
        clean = validate_answers(survey.current_version, raw)
        assert list(clean.values) == ["nps", key]
