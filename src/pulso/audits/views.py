"""Audit pages: the overview (scores, emitted vs perceived), visits, planning, recording on a
phone (with its draft), a recorded visit and its photos."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.audits import actions, charts, scores
from pulso.audits.forms import VisitPlanForm, VisitRecordForm, draft_of
from pulso.audits.models import Visit, VisitAnswer, new_visit_token
from pulso.core.access import action_required, person

PAGE_SIZE = 25
DAY_CHOICES = (90, 180, 365)
RECORD = "audits.record_visit"
reader_required = action_required("audits.view_visit")
recorder_required = action_required(RECORD)
planner_required = action_required("audits.plan_visit")


def _days(request: HttpRequest) -> int:
    value = request.GET.get("days", "")
    return int(value) if value.isdigit() and int(value) in DAY_CHOICES else 365


@reader_required
def overview(request: HttpRequest) -> HttpResponse:
    days = _days(request)
    since = timezone.now() - timedelta(days=days)
    visits = Visit.objects.visible_to(request.user).filter(visited_at__gte=since)
    pairs = scores.emitted_vs_perceived(visits, since=since)
    low_base_n = int(settings.PULSO_LOW_BASE_N)
    rows = charts.chart_rows(pairs, low_base_n)
    context = {
        "days": days,
        "day_choices": DAY_CHOICES,
        "pairs": pairs,
        "low_base_n": low_base_n,
        "chart": charts.emitted_vs_perceived(rows) if rows else None,
        "by_unit": scores.by_unit(visits),
        "by_touchpoint": scores.by_touchpoint(visits),
        "by_standard": scores.by_standard(visits),
    }
    return render(request, "audits/overview.html", context)


@reader_required
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = Visit.objects.visible_to(request.user).select_related(
        "unit", "checklist__touchpoint", "auditor"
    )
    mine = request.GET.get("scope") == "mine"
    if mine:
        visits = visits.filter(auditor=request.user)
    status = request.GET.get("status", "")
    if status in Visit.Status.values:
        visits = visits.filter(status=status)
    page = Paginator(visits.order_by("status", "-planned_for", "-pk"), PAGE_SIZE)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "mine": mine,
        "status": status,
        "statuses": Visit.Status.choices,
    }
    return render(request, "audits/visit_list.html", context)


@planner_required
def visit_plan(request: HttpRequest) -> HttpResponse:
    form = VisitPlanForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        visit = actions.do_plan_visit(**form.cleaned_data, actor=request.user)
        messages.success(request, _("Visit planned."))
        return redirect("audits:detail", pk=visit.pk)
    return render(request, "audits/visit_plan.html", {"form": form})


@reader_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user).select_related(
            "unit", "checklist__touchpoint", "auditor", "recorded_by"
        ),
        pk=pk,
    )
    context = {
        "visit": visit,
        "answers": visit.answers.select_related("standard"),
        "may_record": not visit.is_recorded and visit.may_be_recorded_by(request.user),
    }
    return render(request, "audits/visit_detail.html", context)


def _recordable(request: HttpRequest, pk: int) -> Visit:
    visit = get_object_or_404(
        Visit.objects.restrict(request.user, RECORD).select_related(
            "unit", "checklist__touchpoint"
        ),
        pk=pk,
    )
    if not visit.may_be_recorded_by(request.user):
        raise PermissionDenied(_("This visit is assigned to another auditor."))
    return visit


@recorder_required
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _recordable(request, pk)
    if request.method == "POST":
        return _record(request, visit)
    if visit.is_recorded:
        return redirect("audits:detail", pk=visit.pk)
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"visited_at": now, "token": new_visit_token(), **visit.draft}
    form = VisitRecordForm(visit=visit, initial=initial)
    return render(request, "audits/visit_record.html", _record_context(visit, form))


def _record_context(visit: Visit, form: VisitRecordForm) -> dict[str, Any]:
    saved = visit.draft_saved_at
    return {
        "visit": visit,
        "form": form,
        "draft_saved_at": saved.isoformat() if saved else "",
    }


def _by_fetch(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _done(request: HttpRequest, visit: Visit) -> HttpResponse:
    """To the recorded visit: a redirect, or its address for the phone's script."""
    url = reverse("audits:detail", args=[visit.pk])
    return JsonResponse({"recorded": True, "url": url}) if _by_fetch(request) else redirect(url)


def _record(request: HttpRequest, visit: Visit) -> HttpResponse:
    token = request.POST.get("token", "")
    if visit.is_recorded and token and token == visit.submission_token:
        return _done(request, visit)  # the same submission, sent again
    form = VisitRecordForm(request.POST, request.FILES, visit=visit)
    if not form.is_valid():
        context = _record_context(visit, form)
        return render(request, "audits/visit_record.html", context, status=422 if _by_fetch(
            request) else 200)  # fmt: skip
    try:
        actions.do_record_visit(
            visit,
            form.answers(),
            token=form.cleaned_data["token"],
            visited_at=form.cleaned_data["visited_at"],
            comment=form.cleaned_data["comment"],
            actor=request.user,
        )
    except actions.AlreadyRecorded as exc:
        messages.error(request, str(exc))
        return _done(request, visit)
    messages.success(request, _("Visit recorded."))
    return _done(request, visit)


@recorder_required
@require_POST
def visit_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the phone's draft on the server: JSON body or form data."""
    visit = _recordable(request, pk)
    try:
        body = json.loads(request.body) if request.content_type == "application/json" else None
    except ValueError:
        return JsonResponse({"error": _("The draft is not valid JSON.")}, status=400)
    data = body if isinstance(body, dict) else request.POST
    saved = actions.do_save_draft(visit, draft_of(data))
    if not saved:
        return JsonResponse({"saved": False, "recorded": True}, status=409)
    return JsonResponse({"saved": True})


@reader_required
def answer_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    answer = get_object_or_404(
        VisitAnswer.objects.filter(visit__in=Visit.objects.visible_to(person(request.user))),
        pk=pk,
    )
    name = answer.photo.name or ""
    if not name or not default_storage.exists(name):
        return HttpResponse(status=404)
    response = FileResponse(default_storage.open(name, "rb"))
    response["Content-Type"] = _content_type(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _content_type(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}.get(
        suffix, "application/octet-stream"
    )
