"""Archetype pages and the service blueprint of a journey (page, PDF, SVG, lane editing)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.core.access import action_required
from pulso.design import actions, blueprint, presenting
from pulso.design.archetypes import TooFewCustomers
from pulso.design.forms import ArchetypeForm, FindArchetypesForm, LinkedStandardsForm
from pulso.design.models import Archetype, Segmentation
from pulso.journeys.actions import do_update_blueprint
from pulso.journeys.forms import BlueprintForm
from pulso.journeys.models import Journey, Touchpoint


def _segmentation(request: HttpRequest) -> Segmentation | None:
    chosen = request.GET.get("search", "")
    searches = Segmentation.objects.all()
    if chosen:
        if not chosen.isdigit():
            raise Http404
        return get_object_or_404(searches, pk=int(chosen))
    return searches.first()


def _archetypes_page(
    request: HttpRequest, form: FindArchetypesForm | None = None, status: int = 200
) -> HttpResponse:
    segmentation = _segmentation(request)
    found = list(segmentation.archetypes.prefetch_related("quotes")) if segmentation else []
    context = {
        "segmentation": segmentation,
        "archetypes": presenting.views(found, request.user),
        "searches": Segmentation.objects.all()[:10],
        "form": form or FindArchetypesForm(initial=FindArchetypesForm.initial_period()),
    }
    return render(request, "design/archetypes.html", context, status=status)


@action_required("design.view_archetype")
def archetype_list(request: HttpRequest) -> HttpResponse:
    return _archetypes_page(request)


@require_POST
@action_required("design.change_archetype")
def archetype_find(request: HttpRequest) -> HttpResponse:
    form = FindArchetypesForm(request.POST)
    if not form.is_valid():
        return _archetypes_page(request, form, status=422)
    data = form.cleaned_data
    try:
        actions.do_find_archetypes(data["since"], data["until"], actor=request.user)
    except TooFewCustomers:
        form.add_error(None, _("Too few customers with feedback in this period to find groups."))
        return _archetypes_page(request, form, status=422)
    messages.success(request, _("Archetypes found. Name them so the team recognises them."))
    return redirect("design:archetypes")


@action_required("design.view_archetype")
def archetype_detail(request: HttpRequest, pk: int) -> HttpResponse:
    archetype = get_object_or_404(
        Archetype.objects.select_related("segmentation").prefetch_related("quotes"), pk=pk
    )
    view = presenting.views([archetype], request.user)[0]
    return render(request, "design/archetype_detail.html", {"item": view})


@action_required("design.change_archetype")
def archetype_edit(request: HttpRequest, pk: int) -> HttpResponse:
    archetype = get_object_or_404(Archetype, pk=pk)
    form = ArchetypeForm(request.POST if request.method == "POST" else None, instance=archetype)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_edit_archetype(archetype, data["name"], data["description"], request.user)
        messages.success(request, _("Archetype saved."))
        return redirect(archetype)
    context = {"form": form, "archetype": archetype}
    status = 422 if form.errors else 200
    return render(request, "design/archetype_form.html", context, status=status)


def _blueprint(request: HttpRequest, slug: str) -> blueprint.Blueprint:
    try:
        journey = blueprint.journey_with_touchpoints(slug)
    except Journey.DoesNotExist as exc:
        raise Http404 from exc
    return blueprint.build(journey, request.user)


@action_required("journeys.view_journey")
def blueprint_page(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "design/blueprint.html", {"blueprint": _blueprint(request, slug)})


def _download(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@action_required("journeys.view_journey")
def blueprint_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    bp = _blueprint(request, slug)
    name = f"plano-de-servicio-{slugify(bp.journey.name)}.pdf"
    return _download(blueprint.pdf(bp), "application/pdf", name)


@action_required("journeys.view_journey")
def blueprint_svg(request: HttpRequest, slug: str) -> HttpResponse:
    bp = _blueprint(request, slug)
    name = f"plano-de-servicio-{slugify(bp.journey.name)}.svg"
    return _download(blueprint.svg(bp), "image/svg+xml", name)


@action_required("journeys.change_journey")
def blueprint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("stage__journey"), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = BlueprintForm(data, instance=touchpoint)
    linked = LinkedStandardsForm(
        data,
        touchpoint=touchpoint,
        initial={
            "audit_standards": [s.standard_id for s in touchpoint.linked_audit_standards.all()]
        },
    )
    if data is not None and form.is_valid() and linked.is_valid():
        do_update_blueprint(touchpoint, actor=request.user, **form.cleaned_data)
        standards = list(linked.cleaned_data["audit_standards"])
        actions.do_link_audit_standards(touchpoint, standards, request.user)
        messages.success(request, _("Blueprint saved."))
        return redirect("design:blueprint", touchpoint.stage.journey.slug)
    context = {"form": form, "linked": linked, "touchpoint": touchpoint}
    status = 422 if form.errors or linked.errors else 200
    return render(request, "design/blueprint_form.html", context, status=status)
