"""Pulse pages: the list, creating a pulse, issuing invitations, results and their export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pulso.core.access import action_required, get_object_or_404_for, person
from pulso.pulses import actions
from pulso.pulses.exports import results_csv
from pulso.pulses.forms import InvitationForm, PulseForm
from pulso.pulses.models import Pulse
from pulso.pulses.results import pulse_results, pulses_visible_to, threshold

VIEW = "pulses.view_results"
CHANGE = "pulses.change_pulse"


@action_required(VIEW)
def pulse_list(request: HttpRequest) -> HttpResponse:
    pulses = pulses_visible_to(request.user).select_related("org_unit")
    return render(request, "pulses/list.html", {"pulses": pulses})


@action_required(CHANGE)
def create(request: HttpRequest) -> HttpResponse:
    form = PulseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pulse = actions.do_create_pulse(data["name"], data["org_unit"], data["items"], request.user)
        messages.success(request, _("Pulse created. Issue its invitations now."))
        return redirect("pulses:invite", pk=pulse.pk)
    status = 422 if form.errors else 200
    return render(request, "pulses/create.html", {"form": form}, status=status)


@action_required(CHANGE)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue one-time links; they are shown once and never stored."""
    pulse = get_object_or_404_for(Pulse.objects.all(), request.user, CHANGE, pk=pk)
    form = InvitationForm(request.POST or None, pulse=pulse)
    links: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tokens = actions.do_issue_invitations(
            pulse, data["unit"], data["tenure"], data["count"], person(request.user)
        )
        links = [
            request.build_absolute_uri(reverse("pulse_public:answer", args=[token]))
            for token in tokens
        ]
    status = 422 if form.errors else 200
    context = {"pulse": pulse, "form": form, "links": links}
    return render(request, "pulses/invite.html", context, status=status)


@action_required(VIEW)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    pulse = get_object_or_404(pulses_visible_to(request.user).select_related("org_unit"), pk=pk)
    context = {
        "pulse": pulse,
        "items": list(pulse.items.all()),
        "groups": pulse_results(pulse, request.user),
        "threshold": threshold(),
    }
    return render(request, "pulses/results.html", context)


@action_required(VIEW)
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    pulse = get_object_or_404(pulses_visible_to(request.user), pk=pk)
    response = HttpResponse(results_csv(pulse, request.user), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="pulso-pulse-{pulse.pk}.csv"'
    return response
