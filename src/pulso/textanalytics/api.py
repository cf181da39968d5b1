"""Text analytics in the REST API: topics (with rule validation), analyses, themes, models."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict
from pydantic.json_schema import JsonDict

from pulso.core.apiutils import Id, Pagination, Problem, require
from pulso.textanalytics import actions, pipeline_service
from pulso.textanalytics.analysis import REASONS
from pulso.textanalytics.engine.normalize import MAX_CHARS
from pulso.textanalytics.models import EmergingTheme, SentimentModelVersion, TextAnalysis, Topic
from pulso.textanalytics.rule_messages import explain

router = Router(tags=["text analytics"])
routers: list[tuple[str, Router]] = [("/text", router)]

MAX_API_TEXT = 5 * MAX_CHARS  # longer bodies are refused; up to this, analysed truncated


class TopicOut(Schema):
    id: int
    slug: str
    parent_id: int | None
    name_es: str
    name_en: str
    rule_es: str
    rule_en: str
    origin: str
    is_active: bool


# A new topic needs a rule in at least one language (the endpoint checks the same).
RULE_IN_ONE_LANGUAGE: JsonDict = {
    "anyOf": [
        {"required": [name], "properties": {name: {"type": "string", "minLength": 1}}}
        for name in ("rule_es", "rule_en")
    ]
}


class TopicIn(Schema):
    """A topic: its names, its parent (a main topic) and its rule in at least one language."""

    model_config = ConfigDict(json_schema_extra=RULE_IN_ONE_LANGUAGE)

    name_es: str = Field(..., min_length=1, max_length=120)
    name_en: str = Field("", max_length=120)
    parent_id: Id | None = None
    rule_es: str = Field("", max_length=5_000)
    rule_en: str = Field("", max_length=5_000)
    is_active: bool = True


class TopicPatch(Schema):
    name_es: str | None = Field(None, min_length=1, max_length=120)
    name_en: str | None = Field(None, max_length=120)
    parent_id: Id | None = None
    rule_es: str | None = Field(None, max_length=5_000)
    rule_en: str | None = Field(None, max_length=5_000)
    is_active: bool | None = None


class MentionOut(Schema):
    topic: str
    sentiment: str


class AnalysisOut(Schema):
    id: int
    feedback_id: int
    analysed: bool
    reason: str
    language: str
    sentiment: str
    sentiment_score: float | None
    key_phrases: list[str]
    analyser: str
    topics: list[MentionOut]

    @staticmethod
    def resolve_topics(obj: TextAnalysis) -> list[dict[str, str]]:
        return [{"topic": m.topic.slug, "sentiment": m.sentiment} for m in obj.mentions.all()]


class AnalysisFilters(Schema):
    feedback: int | None = Field(None, ge=1, le=2**62)
    response: int | None = Field(None, ge=1, le=2**62)
    sentiment: str | None = None
    topic: str | None = None


class TextIn(Schema):
    text: str = Field(..., max_length=MAX_API_TEXT)


class TopicHitOut(Schema):
    topic: str
    sentiment: str | None
    clause: str


class AnalyseOut(Schema):
    analysed: bool
    reason: str
    reason_text: str
    language: str
    sentiment: str | None
    score: float | None
    topics: list[TopicHitOut]
    key_phrases: list[str]
    truncated: bool


class ThemeOut(Schema):
    id: int
    kind: str
    status: str
    language: str
    label: str
    words: list[str]
    suggested_rule: str
    size: int
    recent_count: int
    previous_count: int
    growth: float | None
    trend: list[dict[str, Any]]
    topic_id: int | None
    found_at: dt.datetime


class ModelOut(Schema):
    id: int
    language: str
    status: str
    accuracy: float | None
    macro_f1: float | None
    n_training: int
    trained_at: dt.datetime


class BackendOut(Schema):
    language: str
    analyser: str
    model_id: int | None
    accuracy: float | None
    macro_f1: float | None
    error: str


class ModelsOut(Schema):
    active: list[BackendOut]
    versions: list[ModelOut]


@router.get("/topics", response=list[TopicOut])
def list_topics(request: HttpRequest) -> QuerySet[Topic]:
    """The whole taxonomy, main topics and subtopics."""
    require(request, "textanalytics.view_topic")
    return Topic.objects.order_by("pk")


def _save_topic(request: HttpRequest, topic: Topic | None, fields: dict[str, Any]) -> Status[Any]:
    require(request, "textanalytics.change_topic")
    try:
        saved = actions.do_save_topic(topic, request.user, **fields)
    except actions.InvalidRule as error:
        message = _("Syntax error at character %(position)s: %(reason)s") % {
            "position": error.position + 1,
            "reason": explain(error.reason),
        }
        return _invalid({f"rule_{error.language}": message})
    except ValidationError as error:
        fields = {"parent": "parent_id"}  # the model's names → the API's
        return _invalid({fields.get(k, k): " ".join(v) for k, v in error.message_dict.items()})
    return Status(201 if topic is None else 200, saved)


def _invalid(errors: dict[str, str]) -> Status[Any]:
    return Status(422, {"detail": _("The topic is not valid."), "errors": errors})


@router.post("/topics", response={201: TopicOut, 403: Problem, 422: Problem})
def create_topic(request: HttpRequest, payload: TopicIn) -> Status[Any]:
    """Create a topic. It needs a rule in at least one language (``rule_es`` or ``rule_en``);
    a rule with a syntax error is a 422 naming its position."""
    require(request, "textanalytics.change_topic")
    fields = payload.dict()
    if not (fields["rule_es"].strip() or fields["rule_en"].strip()):
        return _invalid({"rule_es": _("Write a rule in at least one language.")})
    return _save_topic(request, None, fields)


@router.patch(
    "/topics/{topic_id}", response={200: TopicOut, 403: Problem, 404: Problem, 422: Problem}
)
def update_topic(
    request: HttpRequest, payload: TopicPatch, topic_id: int = Path(..., ge=1, le=2**62)
) -> Status[Any]:
    """Change some fields of a topic (history is re-processed in the background). The topic
    keeps a rule in at least one language; a rule with a syntax error is a 422 naming its
    position."""
    require(request, "textanalytics.change_topic")
    topic = get_object_or_404(Topic, pk=topic_id)
    fields = payload.dict(exclude_unset=True)
    merged = {"rule_es": topic.rule_es, "rule_en": topic.rule_en, **fields}
    if not (str(merged["rule_es"] or "").strip() or str(merged["rule_en"] or "").strip()):
        return _invalid({"rule_es": _("Write a rule in at least one language.")})
    return _save_topic(
        request, topic, {k: v for k, v in fields.items() if v is not None or k == "parent_id"}
    )


@router.get("/analyses", response=list[AnalysisOut])
@paginate(Pagination)
def list_analyses(request: HttpRequest, filters: Query[AnalysisFilters]) -> QuerySet[TextAnalysis]:
    """Stored analyses of the comments the caller may see."""
    require(request, "textanalytics.view_textanalysis")
    rows = TextAnalysis.objects.visible_to(request.user).prefetch_related("mentions__topic")
    if filters.feedback is not None:
        rows = rows.filter(feedback_id=filters.feedback)
    if filters.response is not None:
        rows = rows.filter(feedback__response__id=filters.response)
    if filters.sentiment:
        rows = rows.filter(sentiment=filters.sentiment)
    if filters.topic:
        rows = rows.filter(mentions__topic__slug=filters.topic)
    return rows.order_by("-pk")


@router.post("/analyse", response={200: AnalyseOut})
def analyse_text(request: HttpRequest, payload: TextIn) -> dict[str, Any]:
    """Analyse a text with the active models and taxonomy; nothing is stored."""
    require(request, "textanalytics.view_textanalysis")
    result = pipeline_service.get_analyzer().analyze(payload.text)
    reason = result.reason or ""
    return {
        "analysed": result.analysed,
        "reason": reason,
        "reason_text": str(REASONS.get(reason, "")),
        "language": result.language,
        "sentiment": result.sentiment,
        "score": result.score,
        "topics": [
            {"topic": hit.slug, "sentiment": hit.sentiment, "clause": hit.sentence}
            for hit in result.topic_hits
        ],
        "key_phrases": result.key_phrases,
        "truncated": result.truncated,
    }


@router.get("/themes", response=list[ThemeOut])
@paginate(Pagination)
def list_themes(request: HttpRequest, status: str | None = None) -> QuerySet[EmergingTheme]:
    """Emerging themes (new by default; status=promoted or dismissed for the others)."""
    require(request, "textanalytics.view_topic")
    return EmergingTheme.objects.filter(status=status or "new").order_by("-size", "pk")


@router.get("/models", response=ModelsOut)
def list_models(request: HttpRequest) -> dict[str, Any]:
    """The analyser active per language and the history of trained models."""
    require(request, "textanalytics.view_textanalysis")
    active = []
    for language, backend in pipeline_service.backends().items():
        version = backend.version
        active.append(
            {
                "language": language,
                "analyser": backend.kind,
                "model_id": version.pk if version else None,
                "accuracy": version.accuracy if version else None,
                "macro_f1": version.macro_f1 if version else None,
                "error": backend.error,
            }
        )
    versions = SentimentModelVersion.objects.defer("model_bytes")[:100]
    return {"active": active, "versions": list(versions)}
