"""A visit that failed a critical standard opens a case for the visited unit.

Subscribed to ``audits.critical_failed``; one case per visit (its feedback record), so a
retried task never opens a second one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from pulso.audits.events import failed_visit_ids
from pulso.audits.models import Visit
from pulso.loop import actions
from pulso.loop.models import Case, CaseEvent, Priority


def open_cases_for_failed_visits(payload: dict[str, Any]) -> int:
    """Open the cases of the visits named in the event; returns how many were opened."""
    return sum(open_case_for_failed_visit(pk) for pk in failed_visit_ids(payload))


def _texts(visit: Visit, failed: list[str]) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Critical standard not met at %(unit)s: %(standard)s") % {
            "unit": visit.unit.name,
            "standard": failed[0],
        }
        note = _("%(kind)s of %(date)s, score %(score)s/100. Critical standards not met: %(list)s")
        note %= {
            "kind": visit.get_kind_display(),
            "date": visit.visited_at.strftime("%d/%m/%Y") if visit.visited_at else "",
            "score": formats.localize(visit.score),
            "list": "; ".join(failed),
        }
    return title, note


@transaction.atomic
def open_case_for_failed_visit(visit_id: int) -> bool:
    """Open the case of one visit unless it has one; True when a case was opened."""
    locked = Visit.objects.select_for_update().filter(pk=visit_id, critical_failed=True)
    if not locked.exists():
        return False
    visit = Visit.objects.select_related("unit", "checklist__touchpoint", "feedback").get(
        pk=visit_id
    )
    if visit.feedback is None or Case.objects.filter(feedback=visit.feedback).exists():
        return False
    answers = visit.answers.filter(failed=True, standard__is_critical=True)
    failed = [answer.standard.text for answer in answers.select_related("standard")]
    if not failed:
        return False
    title, note = _texts(visit, failed)
    handler = actions.handling_unit(visit.unit)
    case = actions.do_open_case(
        title=title,
        unit=visit.unit,
        priority=Priority.HIGH,
        owner=actions.default_owner(handler) if handler else None,
        feedback=visit.feedback,
        touchpoint=visit.checklist.touchpoint,
    )
    actions.add_event(case, CaseEvent.Kind.NOTE, None, note)
    return True
