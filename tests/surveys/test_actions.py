from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pulso.core.models import AuditEvent
from pulso.surveys import actions
from pulso.surveys.answers import InvalidAnswers
from pulso.surveys.models import Answer, Channel, Invitation, Question, Response, Survey
from tests.conftest import Org
from tests.factories import CustomerFactory
from tests.surveys.factories import EVERY_KIND, make_survey

pytestmark = pytest.mark.django_db


def test_record_response_stores_answers_and_denormalised_fields(org: Org) -> None:
    survey = make_survey(questions=EVERY_KIND, org_unit=org.north_store)
    customer = CustomerFactory(segment="premium")
    response = actions.do_record_response(
        survey,
        {"nps": 4, "why_low": "Cola larga", "csat": "2", "topics": ["precio"]},
        channel=Channel.LINK,
        customer=customer,
        language="en",
    )
    response.refresh_from_db()
    assert response.is_complete and response.version == survey.current_version
    assert response.touchpoint == survey.touchpoint
    assert response.journey == survey.touchpoint.stage.journey
    assert response.org_unit == org.north_store and response.segment == "premium"
    assert (response.nps, response.csat, response.ces) == (4, 2, None)
    assert response.comment == "Cola larga" and response.language == "en"
    stored = {a.question.key: (a.number, a.text, a.choices) for a in response.answers.all()}
    assert stored == {
        "nps": (4, "", []),
        "why_low": (None, "Cola larga", []),
        "csat": (2, "", []),
        "topics": (None, "", ["precio"]),
    }
    assert AuditEvent.objects.filter(verb="response.recorded", object_id=str(response.pk)).exists()


def test_invalid_answers_store_nothing() -> None:
    survey = make_survey()
    with pytest.raises(InvalidAnswers) as info:
        actions.do_record_response(survey, {"nps": 15}, channel=Channel.LINK)
    assert set(info.value.errors) == {"nps"}
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_unpublished_survey_cannot_be_answered() -> None:
    survey = make_survey(publish=False)
    with pytest.raises(actions.SurveyNotPublished):
        actions.do_record_response(survey, {"nps": 9}, channel=Channel.LINK)


def test_invitation_is_answered_once(org: Org) -> None:
    survey = make_survey()
    customer = CustomerFactory()
    invitation = Invitation.objects.create(
        survey=survey, customer=customer, org_unit=org.south_store, channel=Channel.EMAIL
    )
    when = timezone.now() - dt.timedelta(days=2)
    response = actions.do_record_response(
        survey, {"nps": 10}, channel=Channel.EMAIL, invitation=invitation, submitted_at=when
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ANSWERED and invitation.answered_at == when
    assert response.customer == customer and response.org_unit == org.south_store
    assert response.submitted_at == when
    with pytest.raises(actions.InvitationAlreadyUsed):
        actions.do_record_response(survey, {"nps": 1}, channel=Channel.EMAIL, invitation=invitation)
    assert Response.objects.get().nps == 10


def test_partial_response_is_kept_then_completed() -> None:
    survey = make_survey(questions=EVERY_KIND)
    partial = actions.do_save_partial_response(survey, {"csat": 3}, channel=Channel.QR)
    assert not partial.is_complete and partial.csat == 3
    with pytest.raises(InvalidAnswers):  # the required NPS is still missing
        actions.do_record_response(survey, {}, channel=Channel.QR, response=partial)
    partial = actions.do_save_partial_response(
        survey, {"nps": 2, "why_low": "Nadie me atendió"}, channel=Channel.QR, response=partial
    )
    done = actions.do_record_response(survey, {"nps": 9}, channel=Channel.QR, response=partial)
    assert done.pk == partial.pk and done.is_complete
    assert (done.nps, done.csat, done.comment) == (9, 3, "")  # the detractor follow-up is dropped
    assert set(done.answers.values_list("question__key", flat=True)) == {"nps", "csat"}
    with pytest.raises(actions.InvitationAlreadyUsed):
        actions.do_save_partial_response(survey, {"csat": 1}, channel=Channel.QR, response=done)


def test_duplicate_external_id_is_refused() -> None:
    survey = make_survey()
    actions.do_record_response(survey, {"nps": 7}, channel=Channel.IMPORT, external_id="T-1")
    with pytest.raises(actions.DuplicateResponse):
        actions.do_record_response(survey, {"nps": 8}, channel=Channel.IMPORT, external_id="T-1")
    assert Response.objects.count() == 1


def test_editing_a_live_survey_keeps_past_answers_on_old_questions() -> None:
    survey = make_survey("csat")
    old = actions.do_record_response(survey, {"csat": 4, "comment": "Bien"}, channel="link")
    draft = actions.do_start_draft(survey)
    assert draft.number == 2 and draft.questions.count() == 2
    assert actions.do_start_draft(survey) == draft  # one draft at a time
    question = draft.questions.get(key="csat")
    actions.do_update_question(question, text_es="¿Qué tal la tienda?", scale_max=10)
    actions.do_delete_question(draft.questions.get(key="comment"))
    survey.refresh_from_db()
    assert survey.current_version is not None and survey.current_version.number == 1
    actions.do_publish_survey(survey)
    survey.refresh_from_db()
    assert survey.current_version == draft and survey.status == Survey.Status.LIVE
    new = actions.do_record_response(survey, {"csat": 9}, channel="link")
    old_answer = old.answers.get(question__key="csat")
    assert old_answer.question.text_es.startswith("¿Cuál es tu grado de satisfacción")
    assert old_answer.question.version.number == 1 and old.version.number == 1
    assert new.answers.get().question.text_es == "¿Qué tal la tienda?"
    with pytest.raises(actions.VersionNotEditable):
        actions.do_update_question(old_answer.question, text_es="x")


def test_publish_refuses_empty_or_broken_drafts() -> None:
    survey = make_survey("blank", publish=False)
    with pytest.raises(actions.SurveyNotPublishable, match="al menos una pregunta"):
        actions.do_publish_survey(survey)
    version = actions.do_start_draft(survey)
    actions.do_add_question(version, key="q", kind="single", text_es="¿Cuál?", choices=[])
    with pytest.raises(actions.SurveyNotPublishable, match="no tiene opciones"):
        actions.do_publish_survey(survey)


def test_question_with_dependants_cannot_be_deleted_and_moves_reorder() -> None:
    survey = make_survey("nps", publish=False)
    version = actions.do_start_draft(survey)
    with pytest.raises(actions.QuestionInUse):
        actions.do_delete_question(version.questions.get(key="nps"))
    actions.do_move_question(version.questions.get(key="promoter_comment"), -1)
    keys = list(version.questions.values_list("key", flat=True))
    assert keys == ["nps", "detractor_comment", "promoter_comment", "passive_comment"]


def test_close_and_reopen() -> None:
    survey = make_survey()
    actions.do_close_survey(survey)
    assert Survey.objects.get().status == Survey.Status.CLOSED
    actions.do_publish_survey(survey)
    assert Survey.objects.get().status == Survey.Status.LIVE


@pytest.mark.parametrize("template", ["nps", "csat", "ces", "enps"])
def test_default_question_sets_are_bilingual_and_publishable(template: str) -> None:
    specs = actions.default_questions(template)
    assert specs and all(spec["text_es"] and spec["text_en"] for spec in specs)
    survey = make_survey(template)
    assert survey.status == Survey.Status.LIVE
    assert Question.objects.filter(version=survey.current_version).count() == len(specs)
    expected = Survey.Audience.EMPLOYEE if template == "enps" else Survey.Audience.CUSTOMER
    assert survey.audience == expected
