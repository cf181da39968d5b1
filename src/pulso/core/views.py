"""Home page and health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pulso.accounts.models import OrgUnit
from pulso.core.home import RECENT_DAYS, home_summary
from pulso.journeys.models import Journey


@login_required
def home(request: HttpRequest) -> HttpResponse:
    journeys = Journey.objects.filter(is_archived=False).prefetch_related("stages__touchpoints")
    context = {
        "journeys": journeys,
        "unit_count": OrgUnit.objects.visible_to(request.user).count(),
        "summary": home_summary(request.user),
        "recent_days": RECENT_DAYS,
    }
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
