"""Inviting customers to a survey, the survey's invitations, bounces and the open pixel."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.core.access import action_required
from pulso.core.files import ImportFileError
from pulso.customers.models import Customer
from pulso.customers.views import segments
from pulso.surveys.distribution import actions
from pulso.surveys.distribution.audience import (
    ListWithoutKey,
    match_uploaded_list,
    segment_customers,
)
from pulso.surveys.distribution.forms import InviteForm
from pulso.surveys.distribution.rates import response_rates
from pulso.surveys.distribution.rules import plan_invitations, summarise
from pulso.surveys.models import Invitation, Survey

PAGE_SIZE = 50
SEND = "surveys.send_invitation"
# A transparent 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@action_required("surveys.view_invitation")
def survey_invitations(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.visible_to(request.user), pk=survey_id)
    invitations = Invitation.objects.visible_to(request.user).filter(survey=survey)
    grouped = invitations.order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in grouped}
    status = request.GET.get("status", "")
    if status not in Invitation.Status.values:
        status = ""
    shown = invitations.filter(status=status) if status else invitations
    page = Paginator(shown.select_related("customer"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "survey": survey,
        "page": page,
        "status": status,
        "query": urlencode({"status": status}) if status else "",
        "statuses": [
            (value, label, counts.get(value, 0)) for value, label in Invitation.Status.choices
        ],
        "total": sum(counts.values()),
        "rates": response_rates(invitations, by=("channel",)),
    }
    return render(request, "surveys/distribution/invitation_list.html", context)


def _session_key(survey: Survey) -> str:
    return f"pulso.invite.{survey.pk}"


def _audience(request: HttpRequest, survey: Survey, form: InviteForm) -> Any:
    """The customers chosen in the form, plus how many list rows named nobody known."""
    data = form.cleaned_data
    if data["source"] == "segment":
        return segment_customers(data["segment"]), 0
    upload = data.get("file")
    if upload is None:  # the send step reuses the list matched at preview
        ids = request.session.get(_session_key(survey))
        if ids is None:
            form.add_error("file", _("Upload the list of customers."))
            return None, 0
        return Customer.objects.filter(pk__in=ids).order_by("pk"), 0
    try:
        matched = match_uploaded_list(upload.read(), upload.name)
    except ImportFileError as exc:
        form.add_error("file", str(exc))
        return None, 0
    except ListWithoutKey:
        form.add_error("file", _("The list needs a customer id or an email column."))
        return None, 0
    request.session[_session_key(survey)] = matched.customer_ids
    customers = Customer.objects.filter(pk__in=matched.customer_ids).order_by("pk")
    return customers, len(matched.unknown_rows)


@action_required(SEND)
def survey_invite(request: HttpRequest, survey_id: int) -> HttpResponse:
    surveys = Survey.objects.select_related("org_unit").restrict(request.user, SEND)
    survey = get_object_or_404(surveys, pk=survey_id)
    form = InviteForm(request.POST or None, request.FILES or None, segments=segments())
    context: dict[str, Any] = {"survey": survey, "form": form}
    if request.method == "POST" and form.is_valid():
        customers, unknown = _audience(request, survey, form)
        if customers is not None and request.POST.get("action") == "send":
            return _send(request, survey, customers, form.cleaned_data["channel"])
        if customers is not None:
            plan = plan_invitations(survey, customers, form.cleaned_data["channel"], timezone.now())
            context["summary"] = summarise(plan)
            context["unknown"] = unknown
    status = 400 if form.errors else 200
    return render(request, "surveys/distribution/invite.html", context, status=status)


def _send(request: HttpRequest, survey: Survey, customers: Any, channel: str) -> HttpResponse:
    result = actions.do_invite_customers(survey, customers, channel, actor=request.user)
    request.session.pop(_session_key(survey), None)
    messages.success(
        request,
        _("Invitations being sent: %(queued)s. Customers not invited: %(suppressed)s.")
        % {"queued": len(result.queued), "suppressed": len(result.suppressed)},
    )
    return redirect("distribution:invitations", survey_id=survey.pk)


@require_POST
@action_required(SEND)
def invitation_bounce(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.restrict(request.user, SEND), pk=pk)
    try:
        actions.do_mark_bounced(invitation, request.POST.get("detail", ""), request.user)
    except actions.InvitationStateError:
        messages.error(request, _("This invitation cannot be marked as bounced."))
    else:
        messages.success(request, _("Invitation marked as bounced."))
    return redirect("distribution:invitations", survey_id=invitation.survey_id)


def invitation_pixel(request: HttpRequest, token: str) -> HttpResponse:
    """Email open tracking: a 1×1 image; no login, and unknown tokens get the image too."""
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is not None:
        actions.do_mark_opened(invitation)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response
