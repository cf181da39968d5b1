"""The survey-history import page: past responses from any survey tool's export."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pulso.core.access import action_required
from pulso.core.files import ImportFileError
from pulso.surveys.actions import SurveyNotPublished
from pulso.surveys.importers.forms import HistoryForm
from pulso.surveys.importers.history import do_import_survey_history, prepare, preview


def _preview(request: HttpRequest, form: HistoryForm, data: dict[str, Any]) -> HttpResponse:
    upload = data["file"]
    plan, rows = prepare(
        data["survey"], upload.read(), fmt=data["format"], mapping=data["mapping"],
        date_order=data["date_order"], file_name=upload.name,
        skip_incomplete=data["skip_incomplete"],
    )  # fmt: skip
    questions = {key: q.text_es or key for key, q in plan.questions.items()}
    context = {"form": form, "plan": plan, "rows": preview(plan, rows), "questions": questions}
    return render(request, "surveys/import_history.html", context)


@action_required("surveys.import_responses")
def import_history(request: HttpRequest) -> HttpResponse:
    """Import past responses from a survey tool's export into a Pulso survey: preview the first
    rows as they will be stored, check the whole file (dry run), then import."""
    form = HistoryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            if request.POST.get("action") == "preview":
                return _preview(request, form, data)
            run = do_import_survey_history(
                data["survey"], upload.read(), fmt=data["format"], mapping=data["mapping"],
                date_order=data["date_order"], skip_incomplete=data["skip_incomplete"],
                dry_run=data["dry_run"], actor=request.user, file_name=upload.name,
            )  # fmt: skip
        except (ImportFileError, SurveyNotPublished) as exc:
            form.add_error("file", str(exc))
        else:
            if run.pk is None:  # a dry run: show the report without keeping it
                page = Paginator(run.rejects, 100).get_page(1)
                context = {"run": run, "page": page, "dry_run": True}
                return render(request, "feedback/import_report.html", context)
            return redirect("feedback:import_report", pk=run.pk)
    status = 400 if form.errors else 200
    return render(request, "surveys/import_history.html", {"form": form}, status=status)
