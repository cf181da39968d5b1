"""Scale answers exported as labels ("Algo satisfecho", "Strongly agree") become scores."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pulso.surveys.importers.history import do_import_survey_history
from pulso.surveys.importers.scale_labels import label_scores
from pulso.surveys.models import Question, Response, Survey

SAMPLE = Path(__file__).parents[2] / "src/pulso/surveys/importers/samples/qualtrics_tienda.csv"


def question(kind: str, low: int | None = None, high: int | None = None) -> Question:
    return Question(key="q", kind=kind, text_es="¿?", scale_min=low, scale_max=high)


def test_qualtrics_satisfaction_labels_in_english_and_spanish() -> None:
    english = [
        "Extremely dissatisfied",
        "Somewhat dissatisfied",
        "Neither satisfied nor dissatisfied",
        "Somewhat satisfied",
        "Extremely satisfied",
    ]
    spanish = ["Muy insatisfecha", "Insatisfecho/a", "Ni satisfecho ni insatisfecho",
               "Satisfecha", "Muy satisfecho(a)"]  # fmt: skip
    for labels in (english, spanish):
        scores = label_scores(question("csat"), labels)
        assert [scores[k] for k in sorted(scores, key=lambda k: scores[k])] == [1, 2, 3, 4, 5]
        assert len(scores) == 5


def test_a_label_is_read_with_the_rest_of_its_column() -> None:
    ces = question("ces")
    plain = label_scores(ces, ["Muy difícil", "Difícil", "Muy fácil"])
    assert (plain["muydificil"], plain["dificil"], plain["muyfacil"]) == (1, 2, 7)
    extreme = label_scores(ces, ["Extremadamente difícil", "Muy difícil", "Muy fácil"])
    assert (extreme["extremadamentedificil"], extreme["muydificil"], extreme["muyfacil"]) == (
        1,
        2,
        6,
    )
    agree = label_scores(ces, ["Strongly disagree", "Somewhat agree", "Strongly agree"])
    assert sorted(agree.values()) == [1, 5, 7]


def test_rating_scales_use_their_own_range_and_unknown_labels_are_left_alone() -> None:
    rating = question("rating", 0, 4)
    assert label_scores(rating, ["Muy mala", "Regular", "Muy buena"]) == {
        "muymalo": 0,
        "neutral": 2,
        "muybueno": 4,
    }
    assert label_scores(question("csat"), ["Me encantó", "7"]) == {}
    assert label_scores(question("nps"), ["Muy satisfecho"]) == {}


@pytest.mark.django_db
def test_a_qualtrics_export_with_choice_texts_imports_csat_scores(survey: Survey) -> None:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))
    column = rows[0].index("Q5")
    labels = {
        "1": "Extremely dissatisfied",
        "2": "Somewhat dissatisfied",
        "4": "Somewhat satisfied",
        "5": "Extremely satisfied",
    }
    for row in rows[3:]:
        row[column] = labels.get(row[column], row[column])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    run = do_import_survey_history(survey, out.getvalue().encode(), fmt="qualtrics")
    assert (run.created, run.rejected) == (6, 1)
    first = Response.objects.get(external_id="R_1a2B3c4D5e6F7g8")
    detractor = Response.objects.get(external_id="R_8hI9j0K1l2M3n4O")
    assert (first.csat, detractor.csat) == (5, 1)


@pytest.mark.django_db
def test_no_answer_markers_leave_the_question_unanswered(survey: Survey) -> None:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))
    csat, reason = rows[0].index("Q5"), rows[0].index("Q6")
    rows[3][csat], rows[3][reason] = "-99", "N/A"  # Qualtrics "seen but unanswered"
    rows[4][csat] = "Ns/Nc"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    run = do_import_survey_history(survey, out.getvalue().encode(), fmt="qualtrics")
    assert (run.created, run.rejected) == (6, 1)  # the same rows as the untouched sample
    first = Response.objects.get(external_id="R_1a2B3c4D5e6F7g8")
    assert first.csat is None and first.nps == 10
    assert not first.answers.filter(question__key__in=["csat", "motivo"]).exists()
