"""The survey builder: list, create, edit the draft version, preview, publish, close, QR codes.

People see the surveys of their units and the company-wide ones; editing a survey needs
``surveys.change_survey`` on its unit (at the root for a company-wide survey).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.accounts.models import OrgUnit
from pulso.core import access
from pulso.core.access import AnyUser, action_required
from pulso.surveys import actions, flow, qr
from pulso.surveys.forms import QuestionForm, SurveyCreateForm, VersionTextsForm
from pulso.surveys.models import Branding, Question, Response, Survey, SurveyVersion
from pulso.surveys.public_views import LANGUAGES, page_context

PAGE_SIZE = 25
EDIT = "surveys.change_survey"
survey_editor_required = action_required(EDIT)
survey_reader_required = action_required("surveys.view_survey")


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _response_counts(user: AnyUser, survey_ids: list[int]) -> dict[int, int]:
    """Complete responses per survey, counting only those the user may see."""
    rows = (
        Response.objects.visible_to(user)
        .complete()
        .filter(survey_id__in=survey_ids)
        .values("survey_id")
        .annotate(n=Count("id"))
    )
    return {row["survey_id"]: row["n"] for row in rows}


@survey_reader_required
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = (
        Survey.objects.visible_to(request.user)
        .select_related("touchpoint__stage__journey", "org_unit", "current_version")
        .order_by("name", "pk")
    )
    status = request.GET.get("status", "")
    if status in Survey.Status.values:
        surveys = surveys.filter(status=status)
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = _response_counts(request.user, [s.pk for s in page.object_list])
    for survey in page.object_list:
        survey.response_count = counts.get(survey.pk, 0)  # type: ignore[attr-defined]
    context = {
        "page_obj": page,
        "status": status,
        "statuses": Survey.Status.choices,
    }
    return render(request, "surveys/survey_list.html", context)


@survey_editor_required
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyCreateForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        survey = actions.do_create_survey(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Survey created. Review its questions, then publish it."))
        return redirect("surveys:edit", pk=survey.pk)
    status = 400 if form.errors else 200
    return render(request, "surveys/survey_create.html", {"form": form}, status=status)


def _survey(request: HttpRequest, pk: int, action: str = EDIT) -> Survey:
    """The survey if the user may do ``action`` on it (404 otherwise)."""
    queryset = Survey.objects.select_related(
        "touchpoint__stage__journey", "org_unit", "current_version"
    )
    return get_object_or_404(queryset.restrict(request.user, action), pk=pk)


@survey_reader_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, "surveys.view_survey")
    versions = survey.versions.annotate(
        question_count=Count("questions", distinct=True),
    ).order_by("-number")
    counts = dict(
        Response.objects.visible_to(request.user)
        .complete()
        .filter(survey=survey)
        .values_list("version_id")
        .annotate(n=Count("id"))
    )
    for version in versions:
        version.response_count = counts.get(version.pk, 0)  # type: ignore[attr-defined]
    current = survey.current_version
    context = {
        "survey": survey,
        "versions": versions,
        "draft": actions.draft_version(survey),
        "questions": current.questions.all() if current else [],
        "open_url": qr.survey_url(survey, channel=""),
        "qr_url": qr.survey_url(survey),
        "units": OrgUnit.objects.visible_to(request.user).filter(is_active=True),
    }
    return render(request, "surveys/survey_detail.html", context)


@require_POST
@survey_editor_required
def survey_publish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    try:
        version = actions.do_publish_survey(survey, actor=request.user)
    except actions.SurveyNotPublishable as exc:
        messages.error(request, str(exc))
        return redirect("surveys:edit" if actions.draft_version(survey) else "surveys:detail", pk)
    messages.success(request, _("Version %(n)s is live.") % {"n": version.number})
    return redirect("surveys:detail", pk=pk)


@require_POST
@survey_editor_required
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    actions.do_close_survey(_survey(request, pk), actor=request.user)
    messages.success(request, _("Survey closed: the public links no longer accept answers."))
    return redirect("surveys:detail", pk=pk)


# --- Editing the draft version --------------------------------------------------------------


@require_POST
@survey_editor_required
def survey_start_draft(request: HttpRequest, pk: int) -> HttpResponse:
    actions.do_start_draft(_survey(request, pk), actor=request.user)
    return redirect("surveys:edit", pk=pk)


@survey_editor_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    draft = actions.draft_version(survey)
    if draft is None:
        messages.info(request, _("Start a new draft to change the questions."))
        return redirect("surveys:detail", pk=pk)
    form = VersionTextsForm(_posted(request), instance=draft)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Texts saved."))
        return redirect("surveys:edit", pk=pk)
    context = {
        "survey": survey,
        "draft": draft,
        "form": form,
        "questions": draft.questions.all(),
        "problems": actions.publish_problems(draft),
        "new_question_form": QuestionForm(version=draft),
    }
    return render(request, "surveys/survey_edit.html", context, status=400 if form.errors else 200)


def _draft_of(survey: Survey) -> SurveyVersion:
    draft = actions.draft_version(survey)
    if draft is None:
        raise Http404(_("This survey has no draft version."))
    return draft


def _question_form_page(
    request: HttpRequest, form: QuestionForm, survey: Survey, question: Question | None
) -> HttpResponse:
    template = "surveys/_question_form.html" if request.htmx else "surveys/question_form.html"  # type: ignore[attr-defined]
    context = {"form": form, "survey": survey, "question": question}
    return render(request, template, context, status=400 if form.errors else 200)


@survey_editor_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    draft = _draft_of(survey)
    form = QuestionForm(_posted(request), version=draft)
    if request.method == "POST" and form.is_valid():
        actions.do_add_question(draft, actor=request.user, **form.question_fields())
        messages.success(request, _("Question added."))
        return redirect("surveys:edit", pk=pk)
    return _question_form_page(request, form, survey, None)


def _draft_question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("version__survey"), pk=pk)
    if not access.can(request.user, EDIT, question.version.survey):
        raise Http404
    if question.version.is_published:
        raise Http404(_("Published questions cannot be changed."))
    return question


@survey_editor_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _draft_question(request, pk)
    survey = question.version.survey
    form = QuestionForm(_posted(request), instance=question, version=question.version)
    if request.method == "POST" and form.is_valid():
        question.refresh_from_db()  # the form mutated it while validating
        actions.do_update_question(question, actor=request.user, **form.question_fields())
        if request.htmx:  # type: ignore[attr-defined]
            context = {"question": question, "survey": survey, "editable": True}
            return render(request, "surveys/_question_row.html", context)
        messages.success(request, _("Question saved."))
        return redirect("surveys:edit", pk=survey.pk)
    return _question_form_page(request, form, survey, question)


@survey_editor_required
def question_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One question as shown in the editor (HTMX: cancel an inline edit)."""
    question = _draft_question(request, pk)
    context = {"question": question, "survey": question.version.survey, "editable": True}
    return render(request, "surveys/_question_row.html", context)


@require_POST
@survey_editor_required
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _draft_question(request, pk)
    try:
        actions.do_delete_question(question, actor=request.user)
        messages.success(request, _("Question deleted."))
    except actions.QuestionInUse as exc:
        messages.error(request, str(exc))
    return redirect("surveys:edit", pk=question.version.survey_id)


@require_POST
@survey_editor_required
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = _draft_question(request, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    actions.do_move_question(question, offset, actor=request.user)
    return redirect("surveys:edit", pk=question.version.survey_id)


# --- Preview and QR codes ---------------------------------------------------------------------


def _preview_sections(version: SurveyVersion, language: str) -> list[dict[str, Any]]:
    """Every page of the version, each question with the condition that shows it."""
    sections = []
    for page in flow.split_pages(list(version.questions.all())):
        for question in page:
            condition = question.show_if or {}
            label = ""
            if condition.get("question"):
                shown = ", ".join(condition.get("groups") or condition.get("values") or [])
                label = _("Shown if “%(key)s” is: %(values)s") % {
                    "key": condition["question"],
                    "values": shown,
                }
            view = flow.question_view(question, None, "", language)
            sections.append({"condition": label, "questions": [view]})
    return sections


@survey_reader_required
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page as respondents see it, every question at once; nothing is saved."""
    survey = _survey(request, pk, "surveys.view_survey")
    number = request.GET.get("version", "")
    versions = survey.versions.all()
    version = (
        (versions.filter(number=number).first() if number.isdigit() else None)
        or survey.current_version
        or actions.draft_version(survey)
    )
    if version is None:
        raise Http404
    language = request.GET.get("lang", "es") if request.GET.get("lang") in LANGUAGES else "es"
    with translation.override(language):
        context = page_context(version, [], {}, {}, language) | {
            "preview": True,
            "anonymous": survey.anonymous,
            "sections": _preview_sections(version, language),
            "branding": Branding.current(),
            "language": language,
            "page": 0,
        }
        return render(request, "surveys/public/form.html", context)


def _qr_target(request: HttpRequest, pk: int) -> tuple[Survey, OrgUnit | None]:
    survey = _survey(request, pk, "surveys.view_survey")
    code = request.GET.get("unit", "")
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), code=code) if code else None
    return survey, unit


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@survey_reader_required
def survey_qr_png(request: HttpRequest, pk: int) -> HttpResponse:
    survey, unit = _qr_target(request, pk)
    name = f"encuesta-{survey.pk}{'-' + unit.code if unit else ''}.png"
    return _download(qr.qr_png(qr.survey_url(survey, unit)), "image/png", name)


@survey_reader_required
def survey_qr_svg(request: HttpRequest, pk: int) -> HttpResponse:
    survey, unit = _qr_target(request, pk)
    name = f"encuesta-{survey.pk}{'-' + unit.code if unit else ''}.svg"
    return _download(qr.qr_svg(qr.survey_url(survey, unit)), "image/svg+xml", name)


@survey_reader_required
def survey_poster(request: HttpRequest, pk: int) -> HttpResponse:
    survey, unit = _qr_target(request, pk)
    name = f"cartel-encuesta-{survey.pk}{'-' + unit.code if unit else ''}.pdf"
    return _download(qr.poster_pdf(survey, unit), "application/pdf", name)
