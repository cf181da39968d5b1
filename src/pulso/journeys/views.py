"""Journey list, journey map and the forms that edit them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.core.access import action_required
from pulso.journeys import actions
from pulso.journeys.forms import JourneyForm, StageForm, TouchpointForm
from pulso.journeys.models import Journey, Stage, Touchpoint

journey_editor_required = action_required("journeys.change_journey")


@action_required("journeys.view_journey")
def journey_list(request: HttpRequest) -> HttpResponse:
    journeys = Journey.objects.filter(is_archived=False).annotate(
        stage_count=Count("stages", filter=Q(stages__is_archived=False), distinct=True),
        touchpoint_count=Count(
            "stages__touchpoints", filter=Q(stages__touchpoints__is_archived=False), distinct=True
        ),
    )
    context = {"journeys": journeys}
    return render(request, "journeys/journey_list.html", context)


@action_required("journeys.view_journey")
def journey_map(request: HttpRequest, slug: str) -> HttpResponse:
    touchpoints = Touchpoint.objects.filter(is_archived=False).select_related("owner_unit")
    stages = Stage.objects.filter(is_archived=False).prefetch_related(
        Prefetch("touchpoints", queryset=touchpoints)
    )
    journey = get_object_or_404(
        Journey.objects.prefetch_related(Prefetch("stages", queryset=stages)), slug=slug
    )
    context = {
        "journey": journey,
        "stages": journey.stages.all(),
    }
    return render(request, "journeys/journey_map.html", context)


def _posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so that errors show), else None."""
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, form: Any, title: str, cancel_url: str) -> HttpResponse:
    template = "journeys/_form.html" if request.htmx else "journeys/form_page.html"  # type: ignore[attr-defined]
    context = {"form": form, "title": title, "cancel_url": cancel_url}
    return render(request, template, context, status=400 if form.errors else 200)


@journey_editor_required
def journey_create(request: HttpRequest) -> HttpResponse:
    form = JourneyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        journey = actions.do_create_journey(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Journey created. Now add its stages."))
        return redirect(journey)
    return _form_page(request, form, _("New journey"), "/journeys/")


@journey_editor_required
def journey_edit(request: HttpRequest, slug: str) -> HttpResponse:
    journey = get_object_or_404(Journey, slug=slug)
    form = JourneyForm(_posted(request), instance=journey)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Journey saved."))
        return redirect(journey)
    return _form_page(request, form, _("Edit journey"), journey.get_absolute_url())


@journey_editor_required
def stage_create(request: HttpRequest, slug: str) -> HttpResponse:
    journey = get_object_or_404(Journey, slug=slug)
    form = StageForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        actions.do_add_stage(journey, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Stage added."))
        return redirect(journey)
    return _form_page(request, form, _("New stage"), journey.get_absolute_url())


@journey_editor_required
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=pk)
    form = StageForm(_posted(request), instance=stage)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Stage saved."))
        return redirect(stage.journey)
    return _form_page(request, form, _("Edit stage"), stage.journey.get_absolute_url())


@require_POST
@journey_editor_required
def stage_move(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=pk)
    offset = -1 if request.POST.get("direction") == "left" else 1
    actions.do_move_stage(stage, offset, actor=request.user)
    return redirect(stage.journey)


@journey_editor_required
def stage_delete(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("journey"), pk=pk)
    blocked = stage.touchpoints_with_feedback()
    if request.method == "POST" and not blocked:
        actions.do_delete_stage(stage, actor=request.user)
        messages.success(request, _("Stage deleted."))
        return redirect(stage.journey)
    context = {"stage": stage, "blocked": blocked}
    return render(
        request,
        "journeys/stage_confirm_delete.html",
        context,
        status=409 if blocked and request.method == "POST" else 200,
    )


@require_POST
@journey_editor_required
def stage_archive(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=pk)
    actions.do_archive_stage(stage, actor=request.user)
    messages.success(request, _("Stage archived: its history is kept."))
    return redirect(stage.journey)


@journey_editor_required
def touchpoint_create(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("journey"), pk=pk)
    form = TouchpointForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        actions.do_add_touchpoint(stage, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Touchpoint added."))
        return redirect(stage.journey)
    title = _("New touchpoint in “%(stage)s”") % {"stage": stage.name}
    return _form_page(request, form, title, stage.journey.get_absolute_url())


@journey_editor_required
def touchpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("stage__journey"), pk=pk)
    form = TouchpointForm(_posted(request), instance=touchpoint)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Touchpoint saved."))
        return redirect(touchpoint.stage.journey)
    return _form_page(
        request, form, _("Edit touchpoint"), touchpoint.stage.journey.get_absolute_url()
    )


@require_POST
@journey_editor_required
def touchpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("stage__journey"), pk=pk)
    try:
        actions.do_delete_touchpoint(touchpoint, actor=request.user)
    except actions.StageHasFeedback as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Touchpoint deleted."))
    return redirect(touchpoint.stage.journey)
