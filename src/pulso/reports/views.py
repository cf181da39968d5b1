from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.core.access import person
from pulso.reports import actions
from pulso.reports.forms import PreviewForm, ReportSubscriptionForm
from pulso.reports.models import ReportSubscription


def _page(
    request: HttpRequest, form: ReportSubscriptionForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "form": form or ReportSubscriptionForm(user=request.user),
        "subscriptions": ReportSubscription.objects.filter(user=person(request.user).pk)
        .select_related("unit")
        .order_by("unit__path"),
    }
    return render(request, "reports/reports.html", context, status=status)


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """One's scheduled reports, a form to add or pause one, a preview button for each."""
    return _page(request)


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    form = ReportSubscriptionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    actions.do_subscribe_to_report(
        person(request.user), data["unit"], data["language"], data["is_active"]
    )
    messages.success(request, _("Report subscription saved."))
    return redirect("reports:list")


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Send last week's report to oneself now."""
    form = PreviewForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of your reports."))
        return redirect("reports:list")
    sub = form.cleaned_data["subscription"]
    if actions.do_queue_weekly_report(sub, timezone.now(), preview=True) is None:
        messages.error(request, _("Your account has no email address to send the report to."))
    else:
        messages.success(
            request, _("The preview is on its way to %(email)s.") % {"email": sub.user.email}
        )
    return redirect("reports:list")
