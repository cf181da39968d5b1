"""One piece of feedback on one page: the whole answer, its analysis, its cases, the customer
as the access policy allows, and "open a case" for those who work cases there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.core import access
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.feedback.privacy import comment_privacy
from pulso.lib.personal_data import mask, mask_contact
from pulso.loop.actions import CaseAlreadyOpen, do_open_case_for_feedback
from pulso.loop.models import Case
from pulso.surveys.models import Answer
from pulso.textanalytics.models import TextAnalysis


def _record(request: HttpRequest, pk: int) -> Feedback:
    records = access.restrict(Feedback.objects.all(), request.user, "view").select_related(
        "customer", "org_unit", "touchpoint", "journey"
    )
    return get_object_or_404(records, pk=pk)


def _answers(record: Feedback, whole: bool) -> list[dict[str, Any]]:
    response = getattr(record, "response", None) if record.is_survey_response else None
    if response is None:
        return []
    answers = Answer.objects.filter(response=response).select_related("question")
    shown = []
    for answer in answers.order_by("question__position"):
        if answer.number is not None:
            value = str(answer.number)
        elif answer.choices:
            value = ", ".join(str(choice) for choice in answer.choices)
        else:
            value = answer.text if whole else mask(answer.text)
        shown.append({"question": answer.question.text_es, "value": value})
    return shown


def _contact(customer: Customer | None, whole: bool) -> str:
    if customer is None:
        return ""
    shown = (customer.name, customer.email)
    return " · ".join(value if whole else mask_contact(value) for value in shown if value)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    privacy = comment_privacy(request.user)
    owns_case = pk in privacy.owned()
    whole = owns_case or privacy.personal.in_unit(record.org_unit_id)
    analysis = TextAnalysis.objects.filter(feedback=record).prefetch_related("topics").first()
    cases = list(
        access.restrict(Case.objects.filter(feedback=record), request.user, "view").select_related(
            "unit", "owner"
        )
    )
    customer = record.customer
    context = {
        "record": record,
        "text": record.text if whole else mask(record.text),
        "answers": _answers(record, whole),
        "analysis": analysis,
        "cases": cases,
        "customer_contact": (
            " · ".join(
                v if whole else mask_contact(v) for v in (customer.name, customer.email) if v
            )
            if customer is not None
            else ""
        ),
        "can_open_case": not any(case.is_open for case in cases)
        and access.can(request.user, "loop.work_case", record.org_unit or access.COMPANY),
    }
    return render(request, "web/record.html", context)


@login_required
@require_POST
def record_open_case(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if not access.can(request.user, "loop.work_case", record.org_unit or access.COMPANY):
        raise PermissionDenied(_("Your role does not let you open cases here."))
    try:
        case = do_open_case_for_feedback(record, request.user)
    except CaseAlreadyOpen as already:
        messages.info(request, _("This feedback already has an open case."))
        case = already.case
    else:
        messages.success(request, _("Case opened."))
    if access.can(request.user, "loop.view_case", case):
        return redirect("loop:detail", pk=case.pk)
    return redirect("web:record", pk=record.pk)
