from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.alerts import actions
from pulso.alerts.forms import AlertSubscriptionForm
from pulso.alerts.models import AlertSubscription
from pulso.core import access
from pulso.core.access import person


def _page(request: HttpRequest, form: AlertSubscriptionForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "alerts": actions.alerts_for(person(request.user)),
        "may_open_incidents": access.can(request.user, "crisis.manage_incident"),
        "subscriptions": AlertSubscription.objects.filter(user=person(request.user).pk)
        .select_related("unit")
        .order_by("unit__path", "kind"),
    }
    return render(request, "alerts/alerts.html", context, status=status)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """One's alerts (the in-app list) and one's subscriptions."""
    return _page(request, AlertSubscriptionForm(user=request.user))


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    form = AlertSubscriptionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    actions.do_subscribe_to_alerts(
        person(request.user),
        data["unit"],
        data["kind"],
        data["words"],
        data["is_active"],
        data["delivery"],
    )
    messages.success(request, _("Alert subscription saved."))
    return redirect("alerts:list")
