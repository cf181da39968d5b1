"""The survey-history import page: past responses from a Qualtrics or LimeSurvey export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pulso.core.access import action_required
from pulso.core.files import ImportFileError
from pulso.surveys.actions import SurveyNotPublished
from pulso.surveys.importers.forms import HistoryForm
from pulso.surveys.importers.history import do_import_survey_history


@action_required("surveys.import_responses")
def import_history(request: HttpRequest) -> HttpResponse:
    """Import past responses from a Qualtrics or LimeSurvey export into a Pulso survey."""
    form = HistoryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            run = do_import_survey_history(
                data["survey"],
                upload.read(),
                fmt=data["format"],
                mapping=data["mapping"],
                skip_incomplete=data["skip_incomplete"],
                dry_run=data["dry_run"],
                actor=request.user,
                file_name=upload.name,
            )
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
