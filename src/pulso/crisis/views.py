"""Pages of the crisis room (/crisis/): the incidents one may see, and one incident's room."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.accounts.privacy import personal_data
from pulso.alerts.models import Alert
from pulso.core import access
from pulso.core.access import action_required, get_object_or_404_for, restrict
from pulso.crisis import actions
from pulso.crisis.affected import affected_customers
from pulso.crisis.forms import (
    AssignForm,
    IncidentForm,
    MessageForm,
    NoteForm,
    PostmortemForm,
    StatusForm,
)
from pulso.crisis.models import MANAGE, VIEW, Incident, IncidentMessage

PAGE_SIZE = 25
CUSTOMERS_PAGE_SIZE = 50


@action_required(VIEW)
def incident_list(request: HttpRequest) -> HttpResponse:
    """Incidents of the person's units, newest first; open ones by default."""
    incidents = restrict(Incident.objects.all(), request.user, VIEW).select_related(
        "org_unit", "owner"
    )
    status = request.GET.get("status", "open")
    if status == "open":
        incidents = incidents.open()
    elif status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    else:
        status = "all"
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page, "status": status, "statuses": Incident.Status.choices,
        "query": urlencode({"status": status}), "may_manage": access.can(request.user, MANAGE),
    }  # fmt: skip
    return render(request, "crisis/list.html", context)


def _room(
    request: HttpRequest, incident: Incident, status: int = 200, **forms: Any
) -> HttpResponse:
    customers = affected_customers(incident)
    page = Paginator(customers, CUSTOMERS_PAGE_SIZE).get_page(request.GET.get("page"))
    messaged = dict(
        IncidentMessage.objects.filter(
            incident=incident, customer__in=page.object_list
        ).values_list("customer_id", "channel")
    )
    private = personal_data(request.user)
    rows = [
        {"customer": c, "name": private.contact(c.name), "email": private.contact(c.email),
         "phone": private.contact(c.phone), "messaged": messaged.get(c.pk, "")}
        for c in page.object_list
    ]  # fmt: skip
    context = {
        "incident": incident,
        "events": incident.events.select_related("actor"),
        "page": page,
        "rows": rows,
        "messages_sent": incident.messages.count(),
        "may_manage": access.can(request.user, MANAGE, incident),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": incident.status}),
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": forms.get("assign_form") or AssignForm(initial={"owner": incident.owner_id}),
        "message_form": forms.get("message_form") or MessageForm(),
        "postmortem_form": forms.get("postmortem_form")
        or PostmortemForm(initial={"postmortem": incident.postmortem}),
    }
    return render(request, "crisis/detail.html", context, status=status)


@action_required(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404_for(
        Incident.objects.select_related("org_unit", "owner", "topic", "touchpoint", "alert"),
        request.user, VIEW, pk=pk,
    )  # fmt: skip
    return _room(request, incident)


@action_required(MANAGE)
def create(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = actions.do_open_incident(
            data["title"], data["unit"], request.user, started_at=data["started_at"],
            topic=data["topic"], touchpoint=data["touchpoint"], description=data["description"],
        )  # fmt: skip
        flash.success(request, _("Incident opened."))
        return redirect("crisis:detail", pk=incident.pk)
    return render(request, "crisis/form.html", {"form": form}, status=422 if form.errors else 200)


@require_POST
@action_required(MANAGE)
def from_alert(request: HttpRequest, pk: int) -> HttpResponse:
    """Open (or go to) the incident of an alert the person may see."""
    alert = get_object_or_404(Alert.objects.select_related("unit"), pk=pk)
    if not access.can(request.user, "metrics.view_counts", alert.unit):
        raise Http404
    incident = actions.do_open_incident_from_alert(alert, request.user)
    return redirect("crisis:detail", pk=incident.pk)


Change = Callable[[HttpRequest, Incident], HttpResponse]


def _managed(view: Change) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST on an incident the person may manage; a refused change shows the room again."""

    @require_POST
    @action_required(MANAGE)
    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        incident = get_object_or_404_for(Incident.objects.all(), request.user, MANAGE, pk=pk)
        return view(request, incident)

    return wrapper


def _saved(request: HttpRequest, incident: Incident, text: str) -> HttpResponse:
    flash.success(request, text)
    return redirect("crisis:detail", pk=incident.pk)


@_managed
def change_status(request: HttpRequest, incident: Incident) -> HttpResponse:
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            d = form.cleaned_data
            actions.do_change_incident_status(
                incident, d["status"], request.user, resolution=d["resolution"], note=d["note"]
            )
            return _saved(request, incident, _("Status changed."))
        except ValidationError as exc:
            form.add_error(None, exc)
    return _room(request, incident, 422, status_form=form)


@_managed
def note(request: HttpRequest, incident: Incident) -> HttpResponse:
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_incident_note(incident, form.cleaned_data["text"], request.user)
            return _saved(request, incident, _("Note added."))
        except ValidationError as exc:
            form.add_error("text", exc)
    return _room(request, incident, 422, note_form=form)


@_managed
def assign(request: HttpRequest, incident: Incident) -> HttpResponse:
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            actions.do_assign_incident(incident, form.cleaned_data["owner"], request.user)
            return _saved(request, incident, _("Owner changed."))
        except ValidationError as exc:
            form.add_error("owner", exc)
    return _room(request, incident, 422, assign_form=form)


@_managed
def message(request: HttpRequest, incident: Incident) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        sent = actions.do_message_affected_customers(
            incident, d["template"], d["channel"], request.user
        )
        return _saved(request, incident, _("Messages sent: %(sent)s.") % {"sent": sent})
    return _room(request, incident, 422, message_form=form)


@_managed
def postmortem(request: HttpRequest, incident: Incident) -> HttpResponse:
    form = PostmortemForm(request.POST)
    if form.is_valid():
        actions.do_write_postmortem(incident, form.cleaned_data["postmortem"], request.user)
        return _saved(request, incident, _("Post-mortem saved."))
    return _room(request, incident, 422, postmortem_form=form)
