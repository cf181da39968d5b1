"""The home page: a short list of what to do today for each role the person holds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Journey
from pulso.web.home import RECENT_DAYS, home_summary
from pulso.web.homes.page import home_sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    journeys = Journey.objects.filter(is_archived=False).prefetch_related("stages__touchpoints")
    context = {
        "journeys": journeys,
        "unit_count": OrgUnit.objects.visible_to(request.user).count(),
        "summary": home_summary(request.user),
        "recent_days": RECENT_DAYS,
        "today": timezone.localdate(),
        **home_sections(request.user),
    }
    return render(request, "web/home.html", context)
