"""Dashboards and the feedback explorer (server-rendered; HTMX swaps the results on filter)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser, action_required
from pulso.core.audit import record_action
from pulso.journeys.models import Journey, Stage, Touchpoint
from pulso.metrics import charts, dashboards, exports
from pulso.metrics.explorer import Explorer, ExplorerFilterForm
from pulso.metrics.filters import MetricFilter, MetricFilterForm
from pulso.metrics.metrics import low_base_n

dashboard_required = action_required("metrics.view_counts")


def _page(
    request: HttpRequest, template: str, form: MetricFilterForm, context: dict[str, Any]
) -> HttpResponse:
    context = {
        "form": form,
        "low_base_n": low_base_n(),
        "query": request.GET.urlencode(),
        **context,
    }
    return render(request, template, context, status=400 if form.errors else 200)


def _filter(request: HttpRequest, **fixed: Any) -> tuple[MetricFilterForm, MetricFilter | None]:
    form = MetricFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    f = form.metric_filter()
    return form, replace(f, **fixed) if fixed else f


def _trend_charts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "trend_chart": charts.nps_trend(rows, _("NPS by period (band: 95% margin of error)")),
        "volume_chart": charts.volume_bars(rows, _("Responses by period")),
    }


@dashboard_required
def overview(request: HttpRequest) -> HttpResponse:
    form, f = _filter(request)
    context: dict[str, Any] = {"journeys": Journey.objects.filter(is_archived=False)}
    if f is not None:
        data = dashboards.overview(f, request.user)
        context.update(data=data, filter=f, **_trend_charts(data.trend))
    return _page(request, "metrics/overview.html", form, context)


@dashboard_required
def journey(request: HttpRequest, slug: str) -> HttpResponse:
    target = get_object_or_404(Journey.objects.prefetch_related(_active_stages()), slug=slug)
    form, f = _filter(request)
    context: dict[str, Any] = {"journey": target}
    if f is not None:
        view = dashboards.journey_view(target, f, request.user)
        context.update(view=view, filter=f)
        context["curve_chart"] = charts.experience_curve(
            view.curve, _("Experience curve: NPS by stage")
        )
        context["heatmap_chart"] = charts.touchpoint_heatmap(
            view.heatmap, _("NPS by touchpoint and period")
        )
    return _page(request, "metrics/journey.html", form, context)


def _active_stages() -> Prefetch:
    touchpoints = Touchpoint.objects.filter(is_archived=False)
    stages = Stage.objects.filter(is_archived=False).prefetch_related(
        Prefetch("touchpoints", queryset=touchpoints)
    )
    return Prefetch("stages", queryset=stages)


@dashboard_required
def unit(request: HttpRequest, code: str) -> HttpResponse:
    found = OrgUnit.objects.visible_to(request.user).filter(code=code).first()
    if found is None:
        raise Http404(_("Org unit not found."))
    form, f = _filter(request, unit=found)
    context: dict[str, Any] = {"unit": found, "ancestors": found.ancestors()}
    if f is not None:
        card = dashboards.scorecard(f, request.user)
        touchpoints = Touchpoint.objects.in_bulk()
        children = {u.pk: u for u in found.subtree().exclude(pk=found.pk)}
        rows = dashboards.trend_rows(_series(f, request.user), f)
        context.update(
            card=card,
            filter=f,
            by_touchpoint=dashboards.breakdown(f, request.user, "touchpoint_id", touchpoints),
            by_unit=dashboards.breakdown(f, request.user, "org_unit_id", children),
            comments=dashboards.responses.latest_comments(f, request.user),
            **_trend_charts(rows),
        )
    return _page(request, "metrics/unit.html", form, context)


def _series(f: MetricFilter, user: AnyUser) -> dict[Any, Any]:
    rows = dashboards.queries.totals_by(f, user, by=f.by)
    return {key[0]: totals for key, totals in rows.items()}


@dashboard_required
def touchpoint(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Touchpoint.objects.select_related("stage__journey"), pk=pk)
    form, f = _filter(request, touchpoint=found)
    context: dict[str, Any] = {"touchpoint": found}
    if f is not None:
        units = OrgUnit.objects.visible_to(request.user).in_bulk()
        rows = dashboards.trend_rows(_series(f, request.user), f)
        context.update(
            card=dashboards.scorecard(f, request.user),
            filter=f,
            by_unit=dashboards.breakdown(f, request.user, "org_unit_id", units),
            comments=dashboards.responses.latest_comments(f, request.user, limit=10),
            **_trend_charts(rows),
        )
    return _page(request, "metrics/touchpoint.html", form, context)


@dashboard_required
def league(request: HttpRequest) -> HttpResponse:
    form, f = _filter(request)
    kind = request.GET.get("kind") or OrgUnit.Kind.STORE
    if kind not in OrgUnit.Kind.values:
        form.add_error(None, _("Unknown kind of org unit."))
        f = None
    context: dict[str, Any] = {"kinds": OrgUnit.Kind.choices, "kind": kind}
    if f is not None:
        cuts = dashboards.league(f, request.user, kind)
        rows = [dashboards.league_row(c) for c in cuts if c.nps.has_data]
        context.update(
            cuts=cuts,
            filter=f,
            league_chart=charts.league_bars(rows, _("NPS by org unit (bars: 95% margin of error)")),
        )
    return _page(request, "metrics/league.html", form, context)


@dashboard_required
def explorer(request: HttpRequest) -> HttpResponse:
    form = ExplorerFilterForm(request.GET, user=request.user)
    context: dict[str, Any] = {}
    if form.is_valid():
        found = Explorer(form, request.user)
        context.update(results=found.results(), filter=found.filter)
        params = request.GET.copy()
        for name in ("page", "older", "newer"):
            params.pop(name, None)
        context["page_query"] = params.urlencode()
    return _page(request, "metrics/explorer.html", form, context)


def _export(request: HttpRequest, kind: str) -> HttpResponseBase:
    form = ExplorerFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, "metrics/explorer.html", form, {})
    rows = Explorer(form, request.user).all_rows()
    name = f"pulso-feedback-{timezone.localdate():%Y%m%d}"
    filters = {key: value for key, value in request.GET.items() if value}
    record_action("explorer.exported", request.user, format=kind, filters=filters)
    return exports.csv_response(rows, name) if kind == "csv" else exports.xlsx_response(rows, name)


@dashboard_required
def export_csv(request: HttpRequest) -> HttpResponseBase:
    return _export(request, "csv")


@dashboard_required
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _export(request, "xlsx")
