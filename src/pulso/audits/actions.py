"""State changes of audits: planning a visit, saving its draft, recording it (once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pulso.accounts.models import OrgUnit
from pulso.audits import scoring
from pulso.audits.events import publish_critical_failed
from pulso.audits.models import Checklist, Standard, Visit, VisitAnswer
from pulso.core.access import AnyUser, signed_in
from pulso.core.audit import record_event
from pulso.feedback.events import publish_recorded
from pulso.feedback.models import Feedback


class AlreadyRecorded(Exception):
    """The visit was recorded by another submission (another token)."""


@dataclass
class AnswerIn:
    """What the form says about one standard."""

    passed: bool | None = None
    rating: int | None = None
    comment: str = ""
    photo: UploadedFile | None = None


@transaction.atomic
def do_plan_visit(
    *,
    checklist: Checklist,
    unit: OrgUnit,
    planned_for: date,
    kind: str = Visit.Kind.AUDIT,
    auditor: User | None = None,
    actor: AnyUser | None = None,
) -> Visit:
    visit = Visit.objects.create(
        checklist=checklist, unit=unit, planned_for=planned_for, kind=kind, auditor=auditor
    )
    record_event("visit.planned", visit, actor, unit=unit.pk, auditor=auditor and auditor.pk)
    return visit


def do_save_draft(visit: Visit, draft: dict[str, str], *, now: datetime | None = None) -> bool:
    """Keep what the auditor has typed so far; False (nothing saved) once the visit is
    recorded. Drafts are frequent and unremarkable: no audit event."""
    clean = {str(k)[:60]: str(v)[:5000] for k, v in list(draft.items())[:500]}
    saved = Visit.objects.filter(pk=visit.pk, status=Visit.Status.PLANNED).update(
        draft=clean, draft_saved_at=now or timezone.now()
    )
    return bool(saved)


def _answer(visit: Visit, standard: Standard, given: AnswerIn) -> VisitAnswer:
    result = scoring.item_score(standard.kind, given.passed, given.rating, standard.scale_max)
    answer = VisitAnswer(
        visit=visit,
        standard=standard,
        passed=given.passed,
        rating=given.rating,
        comment=given.comment.strip(),
        score=None if result.score is None else Decimal(str(round(result.score, 1))),
        failed=result.failed,
    )
    if given.photo is not None:
        answer.photo.save(given.photo.name or "foto", given.photo, save=False)
    return answer


def _feedback_text(visit: Visit, answers: list[VisitAnswer]) -> str:
    """What the record says in words: score, failed standards, the auditor's comments."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [
            _("%(kind)s “%(checklist)s”: %(score)s/100.")
            % {"kind": visit.get_kind_display(), "checklist": visit.checklist.name,
               "score": formats.localize(visit.score) if visit.score is not None else "—"}
        ]  # fmt: skip
        failed = [a.standard.text for a in answers if a.failed]
        if failed:
            parts.append(_("Not met: %(standards)s.") % {"standards": "; ".join(failed)})
    parts += [visit.comment.strip()] + [a.comment for a in answers if a.comment]
    return " ".join(part for part in parts if part)


def _feedback(visit: Visit, answers: list[VisitAnswer]) -> Feedback:
    touchpoint = visit.checklist.touchpoint
    return Feedback.objects.create(
        source=Feedback.Source.AUDIT,
        source_name=visit.get_kind_display(),
        external_id=f"visit-{visit.pk}",
        channel=touchpoint.channel,
        text=_feedback_text(visit, answers),
        rating=visit.score,
        rating_scale_max=100,
        author=visit.auditor.get_full_name() or visit.auditor.get_username()
        if visit.auditor
        else "",
        touchpoint=touchpoint,
        stage=touchpoint.stage,
        journey=touchpoint.stage.journey,
        org_unit=visit.unit,
        language=settings.LANGUAGE_CODE[:2],
        received_at=visit.visited_at or timezone.now(),
    )


@transaction.atomic
def do_record_visit(
    visit: Visit,
    answers: dict[int, AnswerIn],
    *,
    token: str,
    visited_at: datetime | None = None,
    comment: str = "",
    actor: AnyUser | None = None,
) -> tuple[Visit, bool]:
    """Record the visit's answers, score it and write its feedback record; returns the visit
    and whether this call recorded it. The same ``token`` sent again returns the visit as it
    was recorded; another token raises :class:`AlreadyRecorded`."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.is_recorded:
        if token and visit.submission_token == token:
            return visit, False
        raise AlreadyRecorded(_("This visit has already been recorded."))
    standards = list(visit.checklist.standards.all())
    stored = [_answer(visit, s, answers.get(s.pk, AnswerIn())) for s in standards]
    VisitAnswer.objects.bulk_create(stored)
    score = scoring.visit_score(
        (None if a.score is None else float(a.score), a.standard.weight) for a in stored
    )
    now = timezone.now()
    visit.score = None if score is None else Decimal(str(score))
    visit.critical_failed = any(a.failed_critical for a in stored)
    visit.visited_at = min(visited_at or now, now)  # never in the future
    visit.comment, visit.submission_token = comment.strip(), token or None
    visit.status, visit.recorded_at, visit.recorded_by = (
        Visit.Status.RECORDED,
        now,
        signed_in(actor),
    )
    visit.feedback = _feedback(visit, stored)
    visit.draft = {}
    visit.save()
    _announce(visit, actor)
    return visit, True


def _announce(visit: Visit, actor: AnyUser | None) -> None:
    data: dict[str, Any] = {"score": str(visit.score), "critical_failed": visit.critical_failed}
    record_event("visit.recorded", visit, actor, **data)
    assert visit.feedback_id is not None
    publish_recorded([visit.feedback_id])
    if visit.critical_failed:
        publish_critical_failed([visit.pk])
