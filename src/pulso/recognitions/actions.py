"""Recognising customers' praise of an employee: kept once per comment, and told by email to
the employee and the managers of their unit (through the closed loop's email outbox)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pulso.accounts.models import Membership
from pulso.core.audit import record_event
from pulso.feedback.models import Feedback
from pulso.lib.personal_data import mask
from pulso.loop import notifications
from pulso.loop.models import Notification
from pulso.recognitions.models import Recognition
from pulso.recognitions.praise import is_praise, named_employees
from pulso.textanalytics.models import TextAnalysis


def recognitions_url() -> str:
    return settings.PULSO_BASE_URL.rstrip("/") + reverse("recognitions:list")


@transaction.atomic
def do_recognise_praise(feedback_id: int) -> list[Recognition]:
    """Recognise the employees a positive comment names, once per feedback record (a second
    run, a retried task or a re-analysis finds it done and does nothing)."""
    feedback = Feedback.objects.complete().select_related("org_unit").filter(pk=feedback_id).first()
    if feedback is None or Recognition.objects.filter(feedback=feedback).exists():
        return []
    analysis = TextAnalysis.objects.filter(feedback=feedback).first()
    if not is_praise(feedback, analysis):
        return []
    named = named_employees(feedback)
    found = [
        Recognition.objects.create(feedback=feedback, employee=m.user, unit_id=m.unit_id)
        for m in named
    ]
    if found:
        _tell(feedback, named)
        # The audit trail names the recognition, never the comment (personal data).
        record_event("recognitions.recognised", found[0], None, feedback=feedback.pk)
    return found


def _tell(feedback: Feedback, named: list[Membership]) -> None:
    """One email to each employee named and one to each other manager of the unit; the
    comment is masked, since emails leave Pulso."""
    employees = [m.user for m in named]
    unit = feedback.org_unit
    managers = [m.user for m in unit.managers() if m.user not in employees] if unit else []
    values = {
        "unit": unit,
        "names": ", ".join(u.get_full_name() or u.get_username() for u in employees),
        "comment": mask(feedback.text),
        "url": recognitions_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "A customer of %(unit)s named you in a positive comment:\n\n«%(comment)s»\n\n%(url)s"
        )
        _send(feedback, employees, _("A customer recognised you"), body % values, "employee")
        body = _(
            "A customer of %(unit)s recognised %(names)s in a positive comment:"
            "\n\n«%(comment)s»\n\n%(url)s"
        )
        subject = _("A customer recognised %(names)s") % values
        _send(feedback, managers, subject, body % values, "manager")


def _send(feedback: Feedback, users: list[User], subject: str, body: str, who: str) -> None:
    key = f"recognition:{feedback.pk}:{who}"
    notifications.notify_users(Notification.Kind.RECOGNITION, users, subject, body, dedupe_key=key)
