"""Text analytics pages: overview, taxonomy and rule tests, sentiment models, emerging themes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.core import access
from pulso.core.access import AnyUser, action_required
from pulso.textanalytics import (
    actions,
    analysis,
    charts,
    learn,
    overview,
    pipeline_service,
    summary,
)
from pulso.textanalytics.forms import (
    CommentSearchForm,
    PromoteThemeForm,
    RuleTestForm,
    SummaryForm,
    TopicForm,
)
from pulso.textanalytics.models import (
    EmergingTheme,
    SentimentModelVersion,
    TextAnalysis,
    TextJob,
    Topic,
)
from pulso.textanalytics.taxonomy import test_rule
from pulso.textanalytics.training import min_rated

RUN = "textanalytics.run_analysis"
reader_required = action_required("textanalytics.view_textanalysis")
topic_reader_required = action_required("textanalytics.view_topic")
topic_editor_required = action_required("textanalytics.change_topic")
runner_required = action_required(RUN)


def visible(request: HttpRequest) -> Any:
    return TextAnalysis.objects.visible_to(request.user)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _running_jobs() -> list[TextJob]:
    return list(TextJob.objects.filter(status__in=["queued", "running"])[:5])


@reader_required
def index(request: HttpRequest) -> HttpResponse:
    analyses = visible(request)
    pending = analysis.count_pending() if access.can(request.user, RUN) else None
    context = {
        "counts": overview.counts(analyses, pending or 0),
        "pending": pending,
        "backends": _backend_rows(),
        "sentiment_spec": charts.topic_sentiment(overview.topic_sentiment_rows(analyses)),
        "trend_spec": charts.topic_trend(overview.topic_trend_rows(analyses)),
        "jobs": _running_jobs(),
    }
    return render(request, "textanalytics/index.html", context)


@reader_required
def summary_page(request: HttpRequest) -> HttpResponse:
    """The summary of the comments of a unit, a topic and a period (GET filters)."""
    form = SummaryForm(request.GET, user=request.user)  # no filters: the last 30 days
    result = None
    if form.is_valid():
        data = form.cleaned_data
        unit, topic = data.get("unit"), data.get("topic")
        analyses = summary.comments_of(
            visible(request).filter(
                written_at__date__gte=data["start"], written_at__date__lte=data["end"]
            ),
            unit.path if unit else None,
            topic.pk if topic else None,
        )
        result = summary.summarise(analyses)
    return render(request, "textanalytics/summary.html", {"form": form, "summary": result})


def _backend_rows() -> list[dict[str, Any]]:
    rated = {}
    for language, backend in pipeline_service.backends().items():
        rated[language] = {"backend": backend, "version": backend.version}
    return list(rated.values())


# Taxonomy


@topic_reader_required
def topic_list(request: HttpRequest) -> HttpResponse:
    context = {
        "tree": overview.topic_tree(),
        "counts": overview.topic_counts(visible(request)),
        "jobs": _running_jobs(),
    }
    return render(request, "textanalytics/topic_list.html", context)


@topic_reader_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("parent"), pk=pk)
    mentions = (
        visible(request)
        .filter(mentions__topic=topic)
        .select_related("feedback")
        .order_by("-written_at", "-pk")
    )
    page = Paginator(mentions, 20).get_page(request.GET.get("page"))
    context = {
        "topic": topic,
        "page": page,
        **_examples_context(request, topic),
    }
    return render(request, "textanalytics/topic_detail.html", context)


def _examples_context(request: HttpRequest, topic: Topic) -> dict[str, Any]:
    examples = list(
        topic.examples.filter(is_example=True, analysis__in=visible(request))
        .select_related("analysis__feedback")
        .order_by("-created_at")
    )
    words: list[str] = []
    if len(examples) >= learn.MIN_EXAMPLES:
        background = (
            visible(request).filter(analysed=True).exclude(pk__in=[e.analysis_id for e in examples])
        )
        sample = [a.text for a in background.select_related("feedback").order_by("-pk")[:2000]]
        words = learn.characteristic_words([e.analysis.text for e in examples], sample, "es")
    search = CommentSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"]:
        found = _search_comments(request, search.cleaned_data["q"])
    return {
        "examples": examples,
        "min_examples": learn.MIN_EXAMPLES,
        "suggested_words": words,
        "suggested_rule": learn.suggested_rule(words),
        "search": search,
        "found": found,
        "example_ids": {e.analysis_id for e in examples},
    }


def _search_comments(request: HttpRequest, q: str) -> list[TextAnalysis]:
    rows = visible(request).filter(feedback__text__icontains=q, analysed=True)
    return list(rows.select_related("feedback").order_by("-written_at")[:30])


@topic_editor_required
def topic_create(request: HttpRequest) -> HttpResponse:
    form = TopicForm(_posted(request), initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid() and _saved(form, None, request.user):
        topic = form.instance
        messages.success(request, _("Topic created. Past comments are being re-processed."))
        return redirect("textanalytics:topic_detail", pk=topic.pk)
    return _topic_form(request, form, _("New topic"))


@topic_editor_required
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    initial = {k: v for k, v in request.GET.items() if k in ("rule_es", "rule_en")}
    form = TopicForm(_posted(request), instance=topic, initial=initial or None)
    if request.method == "POST" and form.is_valid() and _saved(form, topic, request.user):
        messages.success(request, _("Topic saved. Past comments are being re-processed."))
        return redirect("textanalytics:topic_detail", pk=topic.pk)
    return _topic_form(request, form, _("Edit topic: %(name)s") % {"name": topic.name_es}, topic)


def _saved(form: TopicForm, topic: Topic | None, actor: AnyUser | None) -> bool:
    """Save through the action; a check it refuses (another edit came first) is a form error."""
    try:
        form.instance = actions.do_save_topic(topic, actor, **form.topic_fields())
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _topic_form(
    request: HttpRequest, form: TopicForm, title: str, topic: Topic | None = None
) -> HttpResponse:
    context = {"form": form, "title": title, "topic": topic, "test_form": RuleTestForm()}
    return render(
        request, "textanalytics/topic_form.html", context, status=400 if form.errors else 200
    )


@require_POST
@topic_editor_required
def topic_delete(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    actions.do_delete_topic(topic, request.user)
    messages.success(request, _("Topic deleted. Past comments are being re-processed."))
    return redirect("textanalytics:topics")


@topic_editor_required
def rule_test(request: HttpRequest) -> HttpResponse:
    """HTMX partial (or full page without JS): the comments a rule matches, before saving."""
    data = request.POST if request.method == "POST" else request.GET
    language = data.get("language") or "es"
    rule = data.get("rule") or data.get(f"rule_{language}") or ""
    form = RuleTestForm({"rule": rule, "language": language})
    result = None
    if form.is_valid():
        result = test_rule(
            form.cleaned_data["rule"], form.cleaned_data["language"], visible(request)
        )
    template = "textanalytics/_rule_test.html" if request.htmx else "textanalytics/rule_test.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "result": result})


@require_POST
@topic_editor_required
def topic_example(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    try:
        analysis = int(request.POST.get("analysis", ""))
    except ValueError:
        raise Http404 from None
    row = get_object_or_404(visible(request), pk=analysis)
    if request.POST.get("remove"):
        actions.do_unmark_example(topic, row, request.user)
    else:
        actions.do_mark_example(topic, row, request.user)
    url = reverse("textanalytics:topic_detail", args=[topic.pk])
    query = request.POST.get("q")
    return redirect(f"{url}?{urlencode({'q': query})}#examples" if query else f"{url}#examples")


# Jobs


@reader_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(TextJob, pk=pk)
    return render(request, "textanalytics/_job.html", {"job": job})


@require_POST
@runner_required
def analyse_pending(request: HttpRequest) -> HttpResponse:
    actions.do_start_job(TextJob.Kind.ANALYSE, request.user, mode="pending")
    messages.success(request, _("Analysis of pending comments started."))
    return redirect("textanalytics:index")


# Sentiment models


@reader_required
def model_list(request: HttpRequest) -> HttpResponse:
    versions = SentimentModelVersion.objects.defer("model_bytes").select_related("trained_by")
    context = {
        "backends": _backend_rows(),
        "versions": Paginator(versions, 25).get_page(request.GET.get("page")),
        "min_rated": min_rated(),
        "transformer_path": pipeline_service.transformer_path(),
        "jobs": TextJob.objects.filter(kind=TextJob.Kind.RETRAIN)[:1],
    }
    return render(request, "textanalytics/models.html", context)


@require_POST
@runner_required
def retrain(request: HttpRequest) -> HttpResponse:
    actions.do_start_job(TextJob.Kind.RETRAIN, request.user)
    messages.success(
        request,
        _("Retraining started. The new model replaces the active one only if it is better."),
    )
    return redirect("textanalytics:models")


# Emerging themes


@reader_required
def theme_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or EmergingTheme.Status.NEW
    themes = EmergingTheme.objects.filter(status=status).select_related("topic")
    context = {
        "themes": Paginator(themes.order_by("-size", "pk"), 25).get_page(request.GET.get("page")),
        "status": status,
        "statuses": EmergingTheme.Status.choices,
        "jobs": TextJob.objects.filter(kind=TextJob.Kind.THEMES)[:1],
    }
    return render(request, "textanalytics/theme_list.html", context)


@reader_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(EmergingTheme.objects.select_related("topic"), pk=pk)
    form = PromoteThemeForm(
        _posted(request),
        initial={"name_es": theme.label.capitalize(), "rule_es": theme.suggested_rule},
    )
    if request.method == "POST":
        return _promote(request, theme, form)
    return _theme_page(request, theme, form)


def _theme_page(
    request: HttpRequest, theme: EmergingTheme, form: PromoteThemeForm, status: int = 200
) -> HttpResponse:
    rows = visible(request).select_related("feedback")
    if theme.topic_id and not theme.member_ids:  # a growing topic: its latest mentions
        examples = list(rows.filter(mentions__topic=theme.topic_id).order_by("-written_at")[:10])
    else:
        ids = theme.example_ids + [i for i in theme.member_ids if i not in theme.example_ids][:7]
        examples = sorted(rows.filter(pk__in=ids), key=lambda a: ids.index(a.pk))
    context = {
        "theme": theme,
        "examples": examples,
        "trend_spec": charts.weekly_counts(theme.trend, _("Comments per week")),
        "form": form,
    }
    return render(request, "textanalytics/theme_detail.html", context, status=status)


def _promote(request: HttpRequest, theme: EmergingTheme, form: PromoteThemeForm) -> HttpResponse:
    if not access.can(request.user, RUN):
        raise PermissionDenied(
            _("Your role does not allow this: %(action)s.") % {"action": access.ACTIONS[RUN].label}
        )
    if theme.status != EmergingTheme.Status.NEW or not form.is_valid():
        return _theme_page(request, theme, form, status=400)
    topic = actions.do_promote_theme(theme, request.user, **form.cleaned_data)
    messages.success(request, _("Theme promoted to a topic. Past comments are being re-processed."))
    return redirect("textanalytics:topic_detail", pk=topic.pk)


@require_POST
@runner_required
def theme_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(EmergingTheme, pk=pk, status=EmergingTheme.Status.NEW)
    actions.do_dismiss_theme(theme, request.user)
    messages.success(request, _("Theme dismissed."))
    return redirect("textanalytics:themes")


@require_POST
@runner_required
def find_themes(request: HttpRequest) -> HttpResponse:
    actions.do_start_job(TextJob.Kind.THEMES, request.user)
    messages.success(request, _("Looking for emerging themes in the background."))
    return redirect("textanalytics:themes")
