"""A history import's bulk writer stores what recording one response stores: each feedback
record holds its response's ``record_values()``, each answer its cleaned value (copied from the
response's own columns or sent row by row), every reference resolves, and the ids it reserves
are never handed out again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from pulso.core.bulk import lock_references, reserve_ids
from pulso.feedback.models import Feedback
from pulso.journeys.models import Channel
from pulso.surveys.actions import do_create_survey, do_publish_survey
from pulso.surveys.importers import history
from pulso.surveys.importers.fastwrite import ResponseWriter
from pulso.surveys.importers.history import do_import_survey_history
from pulso.surveys.models import Response, Survey
from tests.conftest import Org
from tests.factories import TouchpointFactory
from tests.ingest.test_bulk_aggregates import MAPPING, export
from tests.ingest.test_history_import import sample
from tests.metrics.factories import SurveyFactory, local

pytestmark = pytest.mark.django_db


def assert_references_resolve() -> None:
    """Run the deferred foreign-key checks now (the test's transaction never commits)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []


def stored(survey: Survey) -> list[tuple[Response, dict[str, Any]]]:
    """Each response with its answers by question key."""
    responses = Response.objects.filter(survey=survey).select_related("feedback", "touchpoint")
    return [
        (r, {a.question.key: (a.number, a.text, a.choices) for a in r.answers.all()})
        for r in responses.prefetch_related("answers__question").order_by("pk")
    ]


def assert_records_match(survey: Survey, imported: bool = True) -> None:
    for response, _answers in stored(survey):
        values = response.record_values()
        assert {name: getattr(response.feedback, name) for name in values} == values
        assert (response.feedback.import_run_id is not None) == imported


def test_records_and_answers_of_a_survey_with_choices_and_several_open_questions(
    survey: Survey,
) -> None:
    run = do_import_survey_history(survey, sample("qualtrics_tienda.csv"), fmt="qualtrics")
    assert run.created == 6
    assert_references_resolve()
    assert_records_match(survey)
    for response, answers in stored(survey):
        assert answers["nps"] == (response.nps, "", [])  # copied from the response's score
        texts = [text for key, (_n, text, _c) in answers.items() if text]
        assert response.comment == "\n\n".join(texts)  # open questions, sent row by row
    first = Response.objects.get(external_id="R_1a2B3c4D5e6F7g8")
    assert dict(stored(survey))[first]["motivo"] == (None, "", ["compra"])


@pytest.fixture
def short_survey(org: Org) -> Survey:
    """NPS, CSAT and one open question: every answer is one of the response's columns."""
    questions = [
        {"key": "nps", "kind": "nps", "text_es": "¿Nos recomendarías?", "required": True},
        {"key": "csat", "kind": "csat", "text_es": "¿Satisfacción?"},
        {"key": "comentario", "kind": "text", "text_es": "¿Algo más?"},
    ]
    touchpoint = TouchpointFactory(name="Entrega")
    created = do_create_survey("Histórico", touchpoint, org_unit=org.north, questions=questions)
    do_publish_survey(created)
    created.refresh_from_db()
    return created


def test_answers_held_by_the_response_are_copied_from_it_chunk_by_chunk(
    short_survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "CHUNK", 25)  # several chunks
    run = do_import_survey_history(short_survey, export(90, bad=7), fmt="qualtrics",
                                   mapping=MAPPING)  # fmt: skip
    assert (run.created, run.rejected) == (89, 1)
    assert_references_resolve()
    assert_records_match(short_survey)
    for response, answers in stored(short_survey):
        expected = {"nps": (response.nps, "", []), "csat": (response.csat, "", [])}
        if response.comment:
            expected["comentario"] = (None, response.comment, [])
        assert answers == expected
    assert sum(1 for _r, answers in stored(short_survey) if "comentario" in answers) == 30


def test_reserved_ids_are_not_handed_out_again() -> None:
    with transaction.atomic():
        ids = reserve_ids(Feedback, 3)
        assert len(ids) == 3 and ids == sorted(ids) and len(set(ids)) == 3
        later = Feedback.objects.create(source=Feedback.Source.REVIEW, text="Bien")
        assert later.pk > max(ids)
        Feedback.objects.bulk_create(
            Feedback(pk=pk, source=Feedback.Source.REVIEW, text="Bien") for pk in ids
        )
        assert reserve_ids(Feedback, 2)[0] > later.pk


def test_references_checked_once_per_batch_refuse_a_missing_row(survey: Survey) -> None:
    lock_references(Response, {"survey_id": [survey.pk, survey.pk], "customer_id": [None]})
    with pytest.raises(IntegrityError, match="survey_id"), transaction.atomic():
        lock_references(Response, {"survey_id": [survey.pk, survey.pk + 1000]})


def test_responses_of_several_surveys_get_their_own_touchpoints_stage_and_channel(
    org: Org,
) -> None:
    """The bulk writer copies each record's stage and channel from its response's touchpoint,
    so one chunk may hold responses of any surveys."""
    surveys = [
        SurveyFactory(touchpoint=TouchpointFactory(channel=channel))
        for channel in (Channel.STORE, Channel.WEB)
    ]
    values = [
        {"survey_id": s.pk, "version_id": s.current_version_id, "touchpoint_id": s.touchpoint_id,
         "journey_id": s.touchpoint.stage.journey_id, "org_unit_id": org.north.pk,
         "channel": "email", "is_complete": n % 3 > 0, "submitted_at": local(2025, 2, 1 + n),
         "started_at": local(2025, 2, 1 + n), "nps": n, "comment": "Bien" if n % 2 else ""}
        for n in range(8)
        for s in surveys
    ]  # fmt: skip
    with transaction.atomic():
        record_ids = ResponseWriter().write(values, {})
    assert len(record_ids) == 16
    assert_references_resolve()
    for survey in surveys:
        assert_records_match(survey, imported=False)
    stages = {r.feedback.stage_id for r in Response.objects.select_related("feedback")}
    assert stages == {s.touchpoint.stage_id for s in surveys} and len(stages) == 2


@pytest.mark.parametrize(
    ("response", "record", "named"),
    [({"org_unit_id": 10**9}, {}, "org_unit_id"), ({}, {"import_run_id": 10**9}, "import_run_id")],
)
def test_the_bulk_writer_refuses_a_reference_to_a_missing_row(
    org: Org, response: dict[str, int], record: dict[str, int], named: str
) -> None:
    """Where PostgreSQL's per-row foreign-key triggers are skipped, the writer's own check
    of each referenced row refuses the chunk; elsewhere the triggers (SQLite: the deferred
    check) do."""
    survey = SurveyFactory()
    values = {
        "survey_id": survey.pk, "version_id": survey.current_version_id,
        "touchpoint_id": survey.touchpoint_id, "journey_id": survey.touchpoint.stage.journey_id,
        "org_unit_id": org.north.pk, "channel": "email", "is_complete": True,
        "submitted_at": local(2025, 3, 1), "started_at": local(2025, 3, 1), "nps": 9,
    } | response  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseWriter().write([values], record)
        connection.check_constraints()
    assert not Response.objects.filter(survey=survey).exists()


def test_values_the_binary_copy_refuses_are_written_as_text(org: Org) -> None:
    """PostgreSQL copies a chunk in the binary format, which takes only the columns' own
    Python types; a chunk with another (a number for a text column) is written as text, as
    before, and a value too long for its column is still refused."""
    survey = SurveyFactory()
    values = [
        {"survey_id": survey.pk, "version_id": survey.current_version_id,
         "touchpoint_id": survey.touchpoint_id, "journey_id": survey.touchpoint.stage.journey_id,
         "org_unit_id": org.north.pk, "channel": "email", "is_complete": True,
         "submitted_at": local(2025, 3, day), "started_at": local(2025, 3, day), "nps": day,
         "segment": segment}
        for day, segment in ((1, "Premium"), (2, 12345))
    ]  # fmt: skip
    with transaction.atomic():
        ResponseWriter().write(values, {})
    stored = Response.objects.filter(survey=survey).order_by("submitted_at")
    assert list(stored.values_list("nps", "segment")) == [(1, "Premium"), (2, "12345")]
    assert_records_match(survey, imported=False)
    if connection.vendor == "postgresql":  # SQLite does not enforce a text column's length
        values[0]["segment"] = "x" * 61
        with pytest.raises(DataError), transaction.atomic():
            ResponseWriter().write(values[:1], {})
