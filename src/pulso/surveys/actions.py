"""State changes of surveys and responses (atomic and audit-logged).

Recording contract, used by the public pages, the API, imports and distribution:
:func:`do_record_response` validates the answers against the survey's current published
version (:func:`pulso.surveys.answers.validate_answers`) and stores the response with its
answers and denormalised scores in one transaction; a complete response is announced as
``feedback.recorded`` once it commits (:mod:`pulso.feedback.events`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pulso.accounts.models import OrgUnit
from pulso.core import fastinsert
from pulso.core.access import AnyUser
from pulso.core.audit import record_event
from pulso.customers.models import Customer
from pulso.feedback.events import publish_recorded
from pulso.journeys.models import Touchpoint
from pulso.surveys.answers import CleanAnswers, InvalidAnswers, validate_answers
from pulso.surveys.defaults import default_questions, default_texts
from pulso.surveys.models import (
    Answer,
    Invitation,
    Question,
    Response,
    Survey,
    SurveyVersion,
)

__all__ = [
    "DuplicateResponse",
    "InvalidAnswers",
    "InvitationAlreadyUsed",
    "QuestionInUse",
    "SurveyNotPublishable",
    "SurveyNotPublished",
    "VersionNotEditable",
    "default_questions",
    "do_add_question",
    "do_close_survey",
    "do_create_survey",
    "do_delete_question",
    "do_mark_invitation_opened",
    "do_move_question",
    "do_publish_survey",
    "do_record_response",
    "do_save_partial_response",
    "do_start_draft",
    "do_update_question",
    "draft_version",
]

QUESTION_FIELDS = [
    "key",
    "kind",
    "text_es",
    "text_en",
    "required",
    "position",
    "scale_min",
    "scale_max",
    "choices",
    "show_if",
]
VERSION_TEXT_FIELDS = ["title_es", "title_en", "intro_es", "intro_en", "thanks_es", "thanks_en"]


class InvitationAlreadyUsed(Exception):
    """The personal invitation (or the response being completed) has already been answered."""


class SurveyNotPublished(Exception):
    """The survey has no published version, so there is nothing to answer."""


class SurveyNotPublishable(Exception):
    """The draft version cannot be published as it is (the message says why)."""


class VersionNotEditable(Exception):
    """Published versions are frozen: answers point at their questions."""


class QuestionInUse(Exception):
    """Other questions are shown conditionally on this one."""


class DuplicateResponse(Exception):
    """A response with the same external id was already recorded for the survey."""


# --- Surveys and versions -------------------------------------------------------------------


@transaction.atomic
def do_create_survey(
    name: str,
    touchpoint: Touchpoint,
    *,
    org_unit: OrgUnit | None = None,
    template: str = "nps",
    audience: str | None = None,
    questions: Iterable[Mapping[str, Any]] | None = None,
    contact_interval_days: int | None = None,
    anonymous: bool = False,
    actor: AnyUser | None = None,
    **texts: str,
) -> Survey:
    """A draft survey with version 1 holding ``questions`` (default: the template's)."""
    if audience is None:
        audience = Survey.Audience.EMPLOYEE if template == "enps" else Survey.Audience.CUSTOMER
    survey = Survey.objects.create(
        name=name,
        touchpoint=touchpoint,
        org_unit=org_unit,
        audience=audience,
        contact_interval_days=contact_interval_days,
        anonymous=anonymous,
    )
    version = SurveyVersion.objects.create(
        survey=survey, number=1, **{**default_texts(template), **texts}
    )
    specs = default_questions(template) if questions is None else list(questions)
    Question.objects.bulk_create(
        Question(version=version, **{"position": i, **spec}) for i, spec in enumerate(specs)
    )
    record_event("survey.created", survey, actor, template=template)
    return survey


def draft_version(survey: Survey) -> SurveyVersion | None:
    """The unpublished version being edited, if any."""
    return survey.versions.filter(published_at__isnull=True).order_by("-number").first()


def _copy_version(source: SurveyVersion) -> SurveyVersion:
    number = (source.survey.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    copy = SurveyVersion.objects.create(
        survey=source.survey,
        number=number,
        **{name: getattr(source, name) for name in VERSION_TEXT_FIELDS},
    )
    Question.objects.bulk_create(
        Question(version=copy, **{name: getattr(q, name) for name in QUESTION_FIELDS})
        for q in source.questions.all()
    )
    return copy


@transaction.atomic
def do_start_draft(survey: Survey, actor: AnyUser | None = None) -> SurveyVersion:
    """The draft to edit: the existing one, or a copy of the current version.

    Editing a live survey never touches its published questions, so past answers keep
    pointing at the questions they were given to.
    """
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    draft = draft_version(survey)
    if draft is not None:
        return draft
    source = survey.current_version or survey.versions.order_by("-number").first()
    if source is None:
        draft = SurveyVersion.objects.create(survey=survey, number=1, **default_texts("blank"))
    else:
        draft = _copy_version(source)
    record_event("survey.draft_started", survey, actor, version=draft.number)
    return draft


def publish_problems(version: SurveyVersion) -> list[str]:
    """Why a version cannot be published (empty when it can)."""
    questions = list(version.questions.all())
    problems = [] if questions else [_("Add at least one question before publishing.")]
    earlier: dict[str, Question] = {}
    for question in questions:
        target = (question.show_if or {}).get("question")
        if target and target not in earlier:
            problems.append(
                _("The question “%(key)s” depends on “%(target)s”, which must come before it.")
                % {"key": question.key, "target": target}
            )
        if question.kind in ("single", "multiple") and not question.choices:
            problems.append(_("The question “%(key)s” has no options.") % {"key": question.key})
        earlier[question.key] = question
    return problems


@transaction.atomic
def do_publish_survey(survey: Survey, actor: AnyUser | None = None) -> SurveyVersion:
    """Publish the draft version (or reopen the current one) and make the survey live."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    draft = draft_version(survey)
    if draft is None:
        if survey.current_version is None:
            raise SurveyNotPublishable(_("Add at least one question before publishing."))
        draft = survey.current_version
    else:
        problems = publish_problems(draft)
        if problems:
            raise SurveyNotPublishable(" ".join(problems))
        draft.published_at = timezone.now()
        draft.save(update_fields=["published_at"])
    survey.current_version = draft
    survey.status = Survey.Status.LIVE
    survey.save(update_fields=["current_version", "status"])
    record_event("survey.published", survey, actor, version=draft.number)
    return draft


@transaction.atomic
def do_close_survey(survey: Survey, actor: AnyUser | None = None) -> Survey:
    """Stop accepting answers on the public pages; past responses stay."""
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    record_event("survey.closed", survey, actor)
    return survey


# --- Questions of a draft version -----------------------------------------------------------


def _editable(version: SurveyVersion) -> None:
    if version.is_published:
        raise VersionNotEditable(_("This version is published; edit a new draft instead."))


@transaction.atomic
def do_add_question(
    version: SurveyVersion, actor: AnyUser | None = None, **fields: Any
) -> Question:
    _editable(version)
    last = version.questions.aggregate(m=Max("position"))["m"]
    fields.setdefault("position", 0 if last is None else last + 1)
    question = Question.objects.create(version=version, **fields)
    record_event("question.created", question, actor, version=version.pk, key=question.key)
    return question


@transaction.atomic
def do_update_question(question: Question, actor: AnyUser | None = None, **fields: Any) -> Question:
    _editable(question.version)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save(update_fields=list(fields))
    record_event("question.updated", question, actor, fields=sorted(fields))
    return question


def dependants(question: Question) -> list[Question]:
    """Questions of the same version shown conditionally on ``question``."""
    return [
        other
        for other in question.version.questions.exclude(pk=question.pk)
        if (other.show_if or {}).get("question") == question.key
    ]


@transaction.atomic
def do_delete_question(question: Question, actor: AnyUser | None = None) -> None:
    _editable(question.version)
    blocked = dependants(question)
    if blocked:
        raise QuestionInUse(
            _("Other questions depend on this one: %(keys)s.")
            % {"keys": ", ".join(q.key for q in blocked)}
        )
    record_event("question.deleted", question, actor, key=question.key)
    question.delete()


@transaction.atomic
def do_move_question(question: Question, offset: int, actor: AnyUser | None = None) -> None:
    """Move a question up (-1) or down (+1), renumbering positions 0..n-1."""
    _editable(question.version)
    ordered = list(question.version.questions.all())
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        item.position = position
    Question.objects.bulk_update(ordered, ["position"])
    record_event("question.moved", question, actor, position=target)


# --- Responses ------------------------------------------------------------------------------


def stored_raw(response: Response) -> dict[str, Any]:
    """The answers already stored on a response, in the ``raw`` format of validate_answers."""
    raw: dict[str, Any] = {}
    for answer in response.answers.select_related("question"):
        kind = answer.question.kind
        if answer.number is not None:
            raw[answer.question.key] = answer.number
        elif kind == Question.Kind.SINGLE:
            raw[answer.question.key] = answer.choices[0] if answer.choices else ""
        elif kind == Question.Kind.MULTIPLE:
            raw[answer.question.key] = list(answer.choices)
        else:
            raw[answer.question.key] = answer.text
    return raw


def _replace_answers(response: Response, clean: CleanAnswers, *, fresh: bool) -> None:
    """Store the answers in one INSERT; a resumed response's earlier ones go first."""
    if not fresh:
        response.answers.all().delete()
    fastinsert.insert_rows(
        [
            Answer(response=response, question=clean.questions[key], **clean.answer_fields(key))
            for key in clean.values
        ]
    )


def _lock_invitation(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status == Invitation.Status.ANSWERED:
        raise InvitationAlreadyUsed(_("This invitation has already been answered."))
    return locked


def _resume(survey: Survey, response: Response) -> Response:
    locked = Response.objects.select_for_update().select_related("version").get(pk=response.pk)
    if locked.survey_id != survey.pk:
        raise ValueError("The response belongs to another survey.")
    if locked.is_complete:
        raise InvitationAlreadyUsed(_("This response has already been submitted."))
    return locked


def _version_to_answer(survey: Survey) -> SurveyVersion:
    version = survey.current_version
    if version is None or not version.is_published:
        raise SurveyNotPublished(_("The survey has not been published yet."))
    return version


def _check_external_id(survey: Survey, external_id: str) -> None:
    if external_id and Response.objects.filter(survey=survey, external_id=external_id).exists():
        raise DuplicateResponse(
            _("A response with the external id %(id)s already exists.") % {"id": external_id}
        )


def _mark_invitation(
    invitation: Invitation, when: datetime, answered: bool, anonymous: bool = False
) -> None:
    """Opened/answered; an anonymous survey's invitation keeps no time that matches a response."""
    fields = []
    if invitation.opened_at is None and not (anonymous and answered):
        invitation.opened_at, fields = when, ["opened_at"]
    if answered:
        invitation.status = Invitation.Status.ANSWERED
        invitation.answered_at = None if anonymous else when
        fields += ["status", "answered_at"]
    elif invitation.status in (Invitation.Status.QUEUED, Invitation.Status.SENT):
        invitation.status = Invitation.Status.OPENED
        fields.append("status")
    if fields:
        invitation.save(update_fields=fields)


@transaction.atomic
def do_mark_invitation_opened(invitation: Invitation) -> Invitation:
    """The respondent opened their personal link (answered invitations stay answered)."""
    if invitation.status != Invitation.Status.ANSWERED:
        _mark_invitation(invitation, timezone.now(), answered=False)
    return invitation


def _anonymised(fields: dict[str, Any], given_segment: str) -> dict[str, Any]:
    """An anonymous survey's complete response: no customer, invitation (token) or their segment."""
    customer = fields["customer"]
    derived = customer is not None and not given_segment and fields["segment"] == customer.segment
    return {"customer": None, "invitation": None, "segment": "" if derived else fields["segment"]}


def _save_response(response: Response | None, fields: dict[str, Any]) -> Response:
    if response is None:
        response = Response(**fields)
        response.insert_with_record()
        return response
    for name, value in fields.items():
        setattr(response, name, value)
    response.save(update_fields=list(fields))
    return response


def _response_fields(
    survey: Survey, version: SurveyVersion, clean: CleanAnswers, **given: Any
) -> dict[str, Any]:
    """Column values of the Response row; None/blank arguments keep what is known."""
    previous = given.pop("previous")
    invitation = given["invitation"] or (previous.invitation if previous else None)
    customer = given["customer"] or (invitation.customer if invitation else None)
    if customer is None and previous is not None:
        customer = previous.customer
    org_unit = (
        given["org_unit"]
        or (previous.org_unit if previous else None)
        or (invitation.org_unit if invitation else None)
        or survey.org_unit
    )
    return {
        "survey": survey,
        "version": version,
        "touchpoint": survey.touchpoint,
        "journey_id": survey.touchpoint.stage.journey_id,
        "org_unit": org_unit,
        "customer": customer,
        "invitation": invitation,
        "channel": given["channel"],
        "language": (given["language"] or "es")[:5],
        "segment": given["segment"] or (customer.segment if customer else ""),
        "is_complete": given["complete"],
        "submitted_at": given["submitted_at"],
        "nps": clean.nps,
        "csat": clean.csat,
        "ces": clean.ces,
        "comment": clean.comment,
        "external_id": given["external_id"] or (previous.external_id if previous else ""),
    }


@transaction.atomic
def do_record_response(
    survey: Survey,
    raw_answers: Mapping[str, Any],
    *,
    channel: str,
    org_unit: OrgUnit | None = None,
    customer: Customer | None = None,
    invitation: Invitation | None = None,
    language: str = "es",
    submitted_at: datetime | None = None,
    complete: bool = True,
    external_id: str = "",
    segment: str = "",
    response: Response | None = None,
    audit: bool = True,
) -> Response:
    """Validate and store a response (complete, or partial with ``complete=False``).

    ``response`` (or the invitation's partial response) is resumed: its stored answers are
    merged with ``raw_answers``, which win. Raises InvalidAnswers, InvitationAlreadyUsed,
    SurveyNotPublished or DuplicateResponse; nothing is stored when it raises.
    Closed surveys still accept responses here (imports of past answers); the public pages
    refuse them. The public pages pass ``audit=False``: the audit trail records what staff
    and API clients do, not every anonymous respondent (the response row is its own record).
    """
    if invitation is not None:
        invitation = _lock_invitation(invitation)
        response = response or Response.objects.filter(invitation=invitation).first()
    raw: dict[str, Any] = dict(raw_answers)
    if response is not None:
        response = _resume(survey, response)
        version, raw = response.version, {**stored_raw(response), **raw}
    else:
        version = _version_to_answer(survey)
        _check_external_id(survey, external_id)
    clean = validate_answers(version, raw, partial=not complete)
    when = submitted_at or timezone.now()
    fields = _response_fields(
        survey, version, clean, previous=response, invitation=invitation, customer=customer,
        org_unit=org_unit, channel=channel, language=language, segment=segment,
        complete=complete, submitted_at=when, external_id=external_id,
    )  # fmt: skip
    invitation = fields["invitation"]
    if survey.anonymous and complete:
        fields.update(_anonymised(fields, segment))
    fresh = response is None
    response = _save_response(response, fields)
    _replace_answers(response, clean, fresh=fresh)
    if invitation is not None:
        _mark_invitation(invitation, when, answered=complete, anonymous=survey.anonymous)
    if complete:
        publish_recorded([response.feedback_id])
        if audit:
            record_event("response.recorded", response, None, channel=channel)
    return response


def do_save_partial_response(
    survey: Survey,
    raw_answers: Mapping[str, Any],
    *,
    channel: str,
    response: Response | None = None,
    **context: Any,
) -> Response:
    """Keep what the respondent answered so far (``is_complete=False``).

    Pass the same ``response`` on every step; :func:`do_record_response` with it completes it.
    """
    return do_record_response(
        survey, raw_answers, channel=channel, response=response, complete=False, **context
    )
