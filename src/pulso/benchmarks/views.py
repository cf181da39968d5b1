"""Benchmark pages: interaction type × channel, internal benchmark, sector references."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.accounts.models import OrgUnit
from pulso.benchmarks import actions, charts, interactions, internal, references
from pulso.benchmarks.comparisons import METRICS, Comparison
from pulso.benchmarks.forms import BenchmarkForm, ReferenceFileForm
from pulso.benchmarks.models import ReferenceValue
from pulso.core.access import action_required, can
from pulso.core.files import ImportFileError
from pulso.metrics.filters import MetricFilter, MetricFilterForm
from pulso.metrics.metrics import Totals, low_base_n

PAGE_SIZE = 25
counts_required = action_required("metrics.view_counts")
references_required = action_required("benchmarks.view_reference")
editor_required = action_required("benchmarks.change_reference")


def _forms(request: HttpRequest) -> tuple[MetricFilterForm, BenchmarkForm, MetricFilter | None]:
    form = MetricFilterForm(request.GET, user=request.user)
    choices = BenchmarkForm(request.GET)
    valid = form.is_valid() & choices.is_valid()
    return form, choices, form.metric_filter() if valid else None


def _page(
    request: HttpRequest, template: str, forms: tuple[Any, ...], context: dict[str, Any]
) -> HttpResponse:
    form, choices = forms[0], forms[1]
    params = request.GET.copy()
    params.pop("page", None)
    errors = {**form.errors, **choices.errors}
    context = {
        "form": form,
        "choices": choices,
        "filter_errors": errors,
        "low_base_n": low_base_n(),
        "query": params.urlencode(),
        **context,
    }
    return render(request, template, context, status=400 if errors else 200)


@counts_required
def interaction_grid(request: HttpRequest) -> HttpResponse:
    form, choices, f = _forms(request)
    context: dict[str, Any] = {}
    if f is not None:
        metric = choices.value("metric", "nps")
        grid = interactions.interaction_grid(f, request.user, metric)
        title = _("%(metric)s by interaction type and channel") % {"metric": METRICS[metric]}
        context.update(
            filter=f,
            metric=metric,
            metric_label=METRICS[metric],
            grid=grid,
            chart=charts.interaction_heatmap(grid.chart_rows(), title, metric),
        )
    return _page(request, "benchmarks/interactions.html", (form, choices), context)


def _bar_row(row: Comparison) -> dict[str, Any]:
    data = row.as_dict()
    low, high = data["interval"] or (None, None)
    status = charts.status_label(row.significant, row.gap, row.value.low_base)
    return {**data, "low": low, "high": high, "status": status}


@counts_required
def internal_benchmark(request: HttpRequest) -> HttpResponse:
    form, choices, f = _forms(request)
    context: dict[str, Any] = {"kinds": OrgUnit.Kind.choices}
    if f is not None:
        metric = choices.value("metric", "nps")
        dimension = choices.value("dimension", "unit")
        kind = choices.value("kind", OrgUnit.Kind.STORE)
        rows = internal.benchmark(f, request.user, dimension, metric, kind)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        title = _("%(metric)s against the rest (bars: 95%% interval; dashed line: all)") % {
            "metric": METRICS[metric]
        }
        context.update(
            filter=f,
            metric=metric,
            metric_label=METRICS[metric],
            dimension=dimension,
            page=page,
            scope=rows[0].scope if rows else None,
            chart=charts.comparison_bars([_bar_row(r) for r in page], title),
        )
    return _page(request, "benchmarks/internal.html", (form, choices), context)


def _gap_row(gap: references.Gap) -> dict[str, Any]:
    ref = gap.reference
    if gap.status == references.UNTESTED:
        status = str(charts.UNTESTED)
    else:
        status = charts.status_label(gap.significant, gap.gap, gap.status == references.LOW_BASE)
    label = " · ".join(p for p in (ref.get_metric_display(), ref.sector, ref.scope_label) if p)
    return {
        "label": f"{label} ({ref.source}, {ref.published_on:%Y})",
        "reference": ref.value,
        "company": gap.company.value,
        "company_n": gap.company.n,
        "base_n": ref.base_n,
        "gap": gap.gap,
        "status": status,
    }


@references_required
def reference_list(request: HttpRequest) -> HttpResponse:
    form = MetricFilterForm(request.GET, user=request.user)
    found = ReferenceValue.objects.visible_to(request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    may_import = can(request.user, "benchmarks.change_reference")
    context: dict[str, Any] = {"page": page, "may_import": may_import}
    if form.is_valid():
        f = form.metric_filter()
        if can(request.user, "metrics.view_counts"):
            gaps = references.gaps(page, f, request.user)
        else:  # the references, without figures the person may not see
            gaps = [references.gap_of(ref, Totals()) for ref in page]
        rows = [_gap_row(g) for g in gaps if g.gap is not None]
        title = _("Our figure against each reference (gap)")
        chart = charts.reference_gaps(rows, title) if rows else None
        context.update(filter=f, gaps=gaps, chart=chart)
    return _page(request, "benchmarks/references.html", (form, BenchmarkForm({})), context)


@editor_required
def reference_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of reference values; the report lists the rejected rows."""
    form = ReferenceFileForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = actions.do_import_reference_file(
                upload.name, upload.read(), actor=request.user
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
    context = {"form": form, "report": report, "rejected": report.rejected[:200] if report else []}
    return render(
        request, "benchmarks/reference_import.html", context, status=400 if form.errors else 200
    )


@require_POST
@editor_required
def reference_delete(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    reference = get_object_or_404(ReferenceValue.objects.visible_to(request.user), pk=pk)
    actions.do_delete_reference(reference, actor=request.user)
    messages.success(request, _("Reference value deleted."))
    return redirect("benchmarks:references")
