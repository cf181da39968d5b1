"""Pages of the improvement portfolio and of pilots; they read through the access policy."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pulso.core.access import action_required, get_object_or_404_for, restrict
from pulso.initiatives import actions, effects, employees
from pulso.initiatives.charts import employees_and_customers, parallel_trends
from pulso.initiatives.forms import ComparisonForm, InitiativeForm, PilotForm
from pulso.initiatives.models import Initiative, Pilot
from pulso.initiatives.problems import WINDOW_DAYS, proposed_problems, root_cause_counts
from pulso.pulses.results import pulses_visible_to
from pulso.textanalytics.models import Topic

VIEW = "initiatives.view_initiative"
CHANGE = "initiatives.change_initiative"
PULSE_RESULTS = "pulses.view_results"
PAGE_SIZE = 25


@action_required(VIEW)
def portfolio(request: HttpRequest) -> HttpResponse:
    """Every initiative the person may see, newest first, with its status and pilots."""
    initiatives = (
        restrict(Initiative.objects.all(), request.user, VIEW)
        .select_related("org_unit", "owner")
        .prefetch_related("pilots")
    )
    status = request.GET.get("status", "")
    if status in Initiative.Status.values:
        initiatives = initiatives.filter(status=status)
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Initiative.Status.choices,
        "query": urlencode({"status": status}) if status else "",
        "problems": proposed_problems(request.user),
        "pulses": pulses_visible_to(request.user).select_related("org_unit")[:5],
    }
    return render(request, "initiatives/portfolio.html", context)


def _initiative_form(request: HttpRequest, form: InitiativeForm) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        initiative = actions.do_save_initiative(form, request.user)
        messages.success(request, _("Initiative saved."))
        return redirect("initiatives:detail", pk=initiative.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "initiative": form.instance if form.instance.pk else None}
    return render(request, "initiatives/initiative_form.html", context, status=status)


@action_required(CHANGE)
def create(request: HttpRequest) -> HttpResponse:
    """A new initiative; from a proposed problem (``?topic=``) it starts with that topic."""
    data = request.POST if request.method == "POST" else None
    initial = {}
    topic = Topic.objects.filter(pk=request.GET.get("topic", "")).first() if request.GET.get(
        "topic", ""
    ).isdigit() else None  # fmt: skip
    if topic is not None:
        initial = {"title": str(topic), "topics": [topic.pk]}
    return _initiative_form(request, InitiativeForm(data, initial=initial, user=request.user))


@action_required(CHANGE)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404_for(Initiative.objects.all(), request.user, CHANGE, pk=pk)
    data = request.POST if request.method == "POST" else None
    return _initiative_form(request, InitiativeForm(data, instance=initiative, user=request.user))


@action_required(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404_for(
        Initiative.objects.select_related("org_unit", "owner"), request.user, VIEW, pk=pk
    )
    cases = root_cause_counts(request.user, timezone.now() - timedelta(days=WINDOW_DAYS))
    context = {
        "initiative": initiative,
        "pilots": initiative.pilots.all(),
        "topics": [(topic, cases.get(topic.pk, 0)) for topic in initiative.topics.all()],
        "touchpoints": initiative.touchpoints.select_related("stage__journey"),
    }
    return render(request, "initiatives/initiative_detail.html", context)


def _pilot_form(request: HttpRequest, form: PilotForm) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        pilot = actions.do_save_pilot(form, request.user)
        messages.success(request, _("Pilot saved."))
        return redirect("initiatives:pilot_detail", pk=pilot.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "initiative": form.instance.initiative}
    return render(request, "initiatives/pilot_form.html", context, status=status)


@action_required(CHANGE)
def pilot_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404_for(Initiative.objects.all(), request.user, CHANGE, pk=pk)
    data = request.POST if request.method == "POST" else None
    return _pilot_form(request, PilotForm(data, initiative=initiative))


@action_required(CHANGE)
def pilot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = get_object_or_404_for(Pilot.objects.all(), request.user, CHANGE, pk=pk)
    data = request.POST if request.method == "POST" else None
    return _pilot_form(request, PilotForm(data, instance=pilot, initiative=pilot.initiative))


@action_required(VIEW)
def pilot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The pilot's effect with its interval, the verdict and the parallel-trends chart."""
    pilot = get_object_or_404_for(
        Pilot.objects.select_related("initiative", "touchpoint"), request.user, VIEW, pk=pk
    )
    answers = effects.pilot_answers(pilot)
    result = effects.pilot_effect(pilot, answers)
    trends = effects.weekly_trends(pilot, answers)
    context = {
        "pilot": pilot,
        "initiative": pilot.initiative,
        "result": result,
        "verdict": effects.verdict(result),
        "trends": trends,
        "chart": parallel_trends(trends, pilot.after_start.isoformat(), pilot.get_metric_display()),
        "treated": pilot.treated_units.all(),
        "control": pilot.control_units.all(),
    }
    return render(request, "initiatives/pilot_detail.html", context)


@action_required(PULSE_RESULTS)
def employees_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A pulse's eNPS per unit against the customers' NPS, for the units its results show."""
    pulse = get_object_or_404(pulses_visible_to(request.user).select_related("org_unit"), pk=pk)
    form = ComparisonForm(request.GET, period=employees.default_period(pulse))
    if not form.is_valid():
        context = {"pulse": pulse, "form": form}
        return render(request, "initiatives/employees.html", context, status=422)
    data = form.cleaned_data
    comparison = employees.compare(pulse, request.user, data["start"], data["end"], data["kind"])
    rows = [employees.point_row(point) for point in comparison.points]
    context = {
        "pulse": pulse,
        "form": form,
        "comparison": comparison,
        "reading": employees.reading(comparison),
        "chart": employees_and_customers(rows) if rows else None,
    }
    return render(request, "initiatives/employees.html", context)
