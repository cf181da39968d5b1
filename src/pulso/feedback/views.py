"""Feedback pages: the explorer and file imports (upload → mapping and preview → report)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.core.access import action_required
from pulso.core.batches import BatchResult
from pulso.core.files import ImportFileError, Table, read_table
from pulso.core.text import clean_text
from pulso.feedback import actions
from pulso.feedback.api import day_start
from pulso.feedback.forms import ExplorerFilters, MappingForm, UploadForm
from pulso.feedback.importing import FileSettings, detect_mapping, rejects_csv, rows_to_items
from pulso.feedback.ingest import Lookups
from pulso.feedback.models import Feedback, ImportRun

PREVIEW_ROWS = 10
SESSION_KEY = "feedback_imports"


writer_required = action_required("feedback.import_feedback")


def _filtered(request: HttpRequest, form: ExplorerFilters) -> Any:
    items = (
        Feedback.objects.unsolicited()
        .visible_to(request.user)
        .select_related("touchpoint", "org_unit")
    )
    if not form.is_valid():
        return items.none()
    data = form.cleaned_data
    if data["date_from"]:
        items = items.filter(received_at__gte=day_start(data["date_from"]))
    if data["date_to"]:
        items = items.filter(received_at__lt=day_start(data["date_to"] + dt.timedelta(days=1)))
    for name in ("source", "channel", "touchpoint"):
        if data[name]:
            items = items.filter(**{name: data[name]})
    if data["q"]:
        items = items.filter(text__icontains=data["q"])
    return items.order_by("-received_at", "-pk")


@action_required("feedback.view_feedback")
def explorer(request: HttpRequest) -> HttpResponse:
    """Unsolicited feedback the user may see, filtered and paginated."""
    form = ExplorerFilters(request.GET)
    page = Paginator(_filtered(request, form), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "feedback/explorer.html", context)


@writer_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a CSV/XLSX file; it is kept until the import is confirmed."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            read_table(data, upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            token = uuid.uuid4().hex
            path = default_storage.save(f"feedback-imports/{token}", ContentFile(data))
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {
                "path": path,
                "name": upload.name[:200],
                "source": form.cleaned_data["source"],
                "source_name": form.cleaned_data["source_name"],
            }
            request.session[SESSION_KEY] = pending
            return redirect("feedback:import_map", token=token)
    status = 400 if form.errors else 200
    return render(request, "feedback/import_upload.html", {"form": form}, status=status)


def _pending(request: HttpRequest, token: str) -> tuple[dict[str, str], Table]:
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if pending is None or not default_storage.exists(pending["path"]):
        raise Http404(_("This upload has expired; upload the file again."))
    with default_storage.open(pending["path"], "rb") as handle:
        return pending, read_table(handle.read(), pending["name"])


def _preview(
    request: HttpRequest,
    table: Table,
    mapping: dict[str, int],
    defaults: dict[str, Any],
    settings: FileSettings,
) -> list[dict[str, Any]]:
    """The first rows with what they would become, validated without storing anything."""
    sample = Table(headers=table.headers, rows=table.rows[:PREVIEW_ROWS], encoding=table.encoding)
    items, rejects = rows_to_items(sample, mapping, defaults, settings)
    result = BatchResult()
    actions.validate_batch([item for _n, item in items], Lookups.load(request.user), result)
    errors = {r["index"]: r["errors"] for r in rejects}
    errors |= {items[r["index"]][0]: r["errors"] for r in result.rejected}
    return [
        {
            "number": number,
            "cells": [clean_text(c) for c in cells],
            "errors": errors.get(number, {}),
        }
        for number, cells in sample.rows
    ]


@writer_required
def import_map(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: map columns to fields (auto-detected), preview the first rows, import."""
    try:
        pending, table = _pending(request, token)
    except ImportFileError as exc:  # kept but no longer readable: upload it again
        messages.error(request, str(exc))
        return redirect("feedback:import")
    defaults = {"source": pending["source"], "source_name": pending["source_name"]}
    form = MappingForm(table.headers, detect_mapping(table.headers), request.POST or None)
    preview = None
    if form.is_valid():
        mapping, settings = form.mapping(), form.settings()
        try:
            if "import" in request.POST:
                items, rejects = rows_to_items(table, mapping, defaults, settings)
                run = actions.do_import_feedback_rows(
                    items, rejects=rejects, actor=request.user, file_name=pending["name"]
                )
                _forget(request, token, pending["path"])
                return redirect("feedback:import_report", pk=run.pk)
            preview = _preview(request, table, mapping, defaults, settings)
        except ImportFileError as exc:  # dates that need the file's order
            form.add_error("date_order", str(exc))
    context = {"form": form, "pending": pending, "preview": preview, "rows": len(table.rows)}
    context["headers"] = table.headers
    status = 400 if form.errors else 200
    return render(request, "feedback/import_map.html", context, status=status)


def _forget(request: HttpRequest, token: str, path: str) -> None:
    default_storage.delete(path)
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


def _visible_run(request: HttpRequest, pk: int) -> ImportRun:
    return get_object_or_404(
        ImportRun.objects.visible_to(request.user).select_related("survey"), pk=pk
    )


@writer_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: what was created, updated, skipped and rejected (row and reason)."""
    run = _visible_run(request, pk)
    page = Paginator(run.rejects, 100).get_page(request.GET.get("page"))
    return render(request, "feedback/import_report.html", {"run": run, "page": page})


@writer_required
def import_rejects_csv(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    response = HttpResponse(rejects_csv(run.rejects), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rechazos-importacion-{run.pk}.csv"'
    return response


@writer_required
@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove everything one import stored (its records, and their survey responses)."""
    run = _visible_run(request, pk)
    try:
        removed = actions.do_undo_import(run, actor=request.user)
    except actions.ImportNotUndoable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Import undone: %(count)s records removed.") % {"count": removed}
        )
    return redirect("feedback:import_report", pk=run.pk)
