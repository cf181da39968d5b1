"""Case list ("mis casos" and per unit), case page, rules editor, deliveries, recovery page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.accounts.models import OrgUnit
from pulso.core.access import action_required
from pulso.core.models import DeliveryStatus
from pulso.core.redirects import redirect_to_next
from pulso.feedback.privacy import comment_privacy
from pulso.lib.personal_data import mask, mask_contact
from pulso.loop import actions, sentences
from pulso.loop.forms import (
    BulkAssignForm,
    CaseContactForm,
    CaseDetailsForm,
    CaseNoteForm,
    CaseStatusForm,
    RecoveryForm,
    RuleForm,
)
from pulso.loop.models import (
    Case,
    Notification,
    Priority,
    RecoveryInvitation,
    Rule,
    WebhookDelivery,
)
from pulso.loop.recovery import do_record_recovery_answer

PAGE_SIZE = 25
WORK = "loop.work_case"
rule_editor_required = action_required("loop.change_rule")
case_reader_required = action_required("loop.view_case")
case_worker_required = action_required(WORK)


def _filtered_cases(request: HttpRequest) -> tuple[QuerySet[Case], dict[str, str]]:
    params = {key: request.GET.get(key, "").strip() for key in (
        "scope", "status", "priority", "unit", "overdue", "q")}  # fmt: skip
    cases = Case.objects.visible_to(request.user).with_overdue_flag()
    if params["scope"] == "mine":
        cases = cases.filter(owner=request.user)
    if params["status"] == "open" or not params["status"]:
        cases = cases.open()
    elif params["status"] in Case.Status.values:
        cases = cases.filter(status=params["status"])
    if params["priority"] in Priority.values:
        cases = cases.filter(priority=params["priority"])
    if params["unit"].isdigit():
        unit = OrgUnit.objects.filter(pk=int(params["unit"])).first()
        cases = cases.filter(unit__path__startswith=unit.path) if unit else cases.none()
    if params["overdue"]:
        cases = cases.filter(overdue=True)
    if params["q"]:
        cases = cases.filter(Q(title__icontains=params["q"]) | Q(pk=_int(params["q"])))
    ordered = cases.select_related("unit", "owner", "touchpoint").order_by(
        "-overdue", "next_due", "pk"
    )
    return ordered, params


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _list_context(request: HttpRequest) -> dict[str, Any]:
    cases, params = _filtered_cases(request)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "params": params,
        "query": query.urlencode(),
        "statuses": Case.Status.choices,
        "priorities": Priority.choices,
        "units": OrgUnit.objects.visible_to(request.user),
        "bulk_form": BulkAssignForm(actor=request.user),
    }


@case_reader_required
def case_list(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    if request.htmx and request.htmx.target == "case-table":  # type: ignore[attr-defined]
        return render(request, "loop/_case_table.html", context)
    return render(request, "loop/case_list.html", context)


@case_worker_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    form = BulkAssignForm(request.POST, actor=request.user)
    if form.is_valid():
        count = actions.do_bulk_assign_cases(
            list(form.cleaned_data["cases"]), form.cleaned_data["owner"], request.user
        )
        messages.success(request, _("%(count)d case(s) assigned.") % {"count": count})
    else:
        messages.error(request, _("Choose at least one case and the person to assign them to."))
    if request.htmx:  # type: ignore[attr-defined]
        request.GET = request.POST  # keep the filters the table was showing
        return render(request, "loop/_case_table.html", _list_context(request))
    return redirect_to_next(request, "loop:list")


def _case_for(request: HttpRequest, pk: int, action: str = "view") -> Case:
    return get_object_or_404(
        Case.objects.restrict(request.user, action).select_related(
            "unit", "owner", "touchpoint", "feedback", "customer", "root_cause"
        ),
        pk=pk,
    )


@case_reader_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    # The owner and people who contact customers in the case's unit see the comment and the
    # customer whole; others see personal details masked.
    privacy = comment_privacy(request.user)
    whole = case.owner_id == request.user.pk or privacy.personal.in_unit(case.unit_id)
    feedback = case.feedback
    context = {
        "case": case,
        "feedback_text": (feedback.text if whole else mask(feedback.text)) if feedback else "",
        "customer_contact": (
            ""
            if case.customer is None
            else " · ".join(
                v if whole else mask_contact(v)
                for v in (str(case.customer), case.customer.email)
                if v
            )
        ),
        "events": case.events.select_related("actor"),
        "status_form": CaseStatusForm(case=case),
        "note_form": CaseNoteForm(),
        "contact_form": CaseContactForm(),
        "details_form": CaseDetailsForm(
            actor=request.user,
            initial={
                "owner": case.owner_id,
                "priority": case.priority,
                "root_cause": case.root_cause_id,
            },
        ),
        "recovery": RecoveryInvitation.objects.filter(case=case).first(),
    }
    return render(request, "loop/case_detail.html", context)


def _worked_case(request: HttpRequest, pk: int) -> Case:
    return _case_for(request, pk, WORK)


@case_worker_required
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worked_case(request, pk)
    form = CaseStatusForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose one of the allowed statuses."))
        return redirect("loop:detail", pk=case.pk)
    try:
        actions.do_change_case_status(
            case,
            form.cleaned_data["status"],
            request.user,
            resolution=form.cleaned_data["resolution"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status updated."))
    return redirect("loop:detail", pk=case.pk)


@case_worker_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worked_case(request, pk)
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        actions.do_add_case_note(case, form.cleaned_data["text"], request.user)
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write the note before saving it."))
    return redirect("loop:detail", pk=case.pk)


@case_worker_required
@require_POST
def case_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Email the customer from a template; the message goes to the outbox and the timeline."""
    case = _worked_case(request, pk)
    form = CaseContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a template to write to the customer."))
        return redirect("loop:detail", pk=case.pk)
    try:
        actions.do_contact_customer(
            case, form.cleaned_data["template"], request.user, message=form.cleaned_data["message"]
        )
    except actions.CannotContact as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Message to the customer queued."))
    return redirect("loop:detail", pk=case.pk)


@case_worker_required
@require_POST
def case_details(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worked_case(request, pk)
    form = CaseDetailsForm(request.POST, actor=request.user)
    if not form.is_valid():
        messages.error(request, _("Check the owner, priority and root cause."))
        return redirect("loop:detail", pk=case.pk)
    data = form.cleaned_data
    actions.do_assign_case(case, data["owner"], request.user)
    actions.do_set_case_priority(case, data["priority"], request.user)
    actions.do_set_case_root_cause(case, data["root_cause"], request.user)
    messages.success(request, _("Case updated."))
    return redirect("loop:detail", pk=case.pk)


@rule_editor_required
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = list(Rule.objects.select_related("webhook", "target_unit"))
    described = [(rule, sentences.describe(rule)) for rule in rules]
    return render(request, "loop/rule_list.html", {"rules": described})


@rule_editor_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(Rule, pk=pk) if pk else Rule()
    form = RuleForm(request.POST if request.method == "POST" else None, instance=rule)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        actions.do_save_rule(saved, request.user, form.cleaned_data["notify_users"])
        messages.success(request, _("Rule saved."))
        return redirect("loop:rules")
    status = 400 if form.errors else 200
    sentence = sentences.describe(rule) if rule.pk else ""
    context = {"form": form, "rule": rule, "sentence": sentence}
    return render(request, "loop/rule_form.html", context, status=status)


@rule_editor_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    context = {
        "emails": Notification.objects.exclude(status=DeliveryStatus.SENT)[:100],
        "deliveries": WebhookDelivery.objects.select_related("webhook")[:100],
    }
    return render(request, "loop/delivery_list.html", context)


@rule_editor_required
@require_POST
def delivery_resend(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = Notification if kind == "email" else WebhookDelivery
    entry = get_object_or_404(model, pk=pk, status=DeliveryStatus.FAILED)
    actions.do_resend_delivery(entry, request.user)
    messages.success(request, _("Queued to be sent again."))
    return redirect("loop:deliveries")


def recovery(request: HttpRequest, token: str) -> HttpResponse:
    """Public page (no login): the customer answers with the token from the email."""
    invitation = get_object_or_404(RecoveryInvitation.objects.select_related("case"), token=token)
    if invitation.answered_at is not None:
        return render(request, "loop/recovery_thanks.html", {"invitation": invitation})
    form = RecoveryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        do_record_recovery_answer(invitation, data["resolved"], data["score"], data["comment"])
        return render(request, "loop/recovery_thanks.html", {"invitation": invitation})
    status = 400 if form.errors else 200
    return render(request, "loop/recovery.html", {"form": form}, status=status)


@case_reader_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    from pulso.loop import dashboard

    days = _int(request.GET.get("days", "")) or 90
    days = min(days, 3660)
    board = dashboard.build(Case.objects.visible_to(request.user), days)
    context = {"board": board, "days": days, "day_choices": [30, 90, 180, 365]}
    return render(request, "loop/dashboard.html", context)
