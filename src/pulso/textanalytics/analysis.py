"""Analysing stored comments in batches and saving the results (TextAnalysis, TopicMention).

Everything here works on batches of a few hundred items: one engine call, one bulk insert or
update of analyses and one of mentions per batch, so that 20,000 comments take seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.feedback.models import FeedbackItem
from pulso.surveys.models import Response
from pulso.textanalytics import pipeline_service
from pulso.textanalytics.engine.language import UNDETERMINED
from pulso.textanalytics.engine.normalize import Document, clean_text
from pulso.textanalytics.engine.pipeline import AnalysisResult
from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention

BATCH = 500
RESPONSE, FEEDBACK = "response", "feedback"

REASONS = {
    "empty": _("Empty comment"),
    "no_language": _("No words to analyse (emoji, symbols or too short)"),
    "unsupported_language": _("Language not supported"),
}

UPDATED_FIELDS = [
    "analysed",
    "reason",
    "language",
    "sentiment",
    "sentiment_score",
    "key_phrases",
    "analyser",
    "analysed_at",
    "written_at",
]

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Item:
    """A comment to analyse: a survey response's comment or a feedback item's text."""

    kind: str
    pk: int
    text: str
    written_at: datetime | None


def response_items(responses: QuerySet[Response]) -> list[Item]:
    rows = responses.values_list("pk", "comment", "submitted_at")
    return [Item(RESPONSE, pk, text, when) for pk, text, when in rows]


def feedback_items(items: QuerySet[FeedbackItem]) -> list[Item]:
    rows = items.values_list("pk", "text", "received_at")
    return [Item(FEEDBACK, pk, text, when) for pk, text, when in rows]


def commented_responses() -> QuerySet[Response]:
    """Responses with something written in the comment box."""
    return Response.objects.exclude(comment="")


def pending_responses() -> QuerySet[Response]:
    return commented_responses().filter(analysis__isnull=True)


def pending_feedback() -> QuerySet[FeedbackItem]:
    return FeedbackItem.objects.filter(analysis__isnull=True)


def batches_after(
    queryset: QuerySet[Any], after: int, to_items: Callable[[QuerySet[Any]], list[Item]]
) -> Iterator[list[Item]]:
    """Items of `queryset` in id order past id `after`, a batch at a time (resumable)."""
    while True:
        batch = to_items(queryset.filter(pk__gt=after).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        after = batch[-1].pk


def _fields(result: AnalysisResult, analysers: dict[str, str]) -> dict[str, Any]:
    language = "" if result.language == UNDETERMINED else result.language[:8]
    return {
        "analysed": result.analysed,
        "reason": "" if result.analysed else (result.reason or "")[:120],
        "language": language,
        "sentiment": (result.sentiment or "") if result.analysed else "",
        "sentiment_score": result.score if result.analysed else None,
        "key_phrases": list(result.key_phrases) if result.analysed else [],
        "analyser": analysers.get(language, "") if result.analysed else "",
    }


def _existing(items: Sequence[Item]) -> dict[tuple[str, int], int]:
    """Ids of the analyses the items already have."""
    responses = [i.pk for i in items if i.kind == RESPONSE]
    feedback = [i.pk for i in items if i.kind == FEEDBACK]
    found: dict[tuple[str, int], int] = {}
    rows = TextAnalysis.objects.filter(response_id__in=responses).values_list("response_id", "pk")
    found.update(((RESPONSE, item_pk), pk) for item_pk, pk in rows)
    rows = TextAnalysis.objects.filter(feedback_item_id__in=feedback).values_list(
        "feedback_item_id", "pk"
    )
    found.update(((FEEDBACK, item_pk), pk) for item_pk, pk in rows)
    return found


def _row(item: Item, fields: dict[str, Any], pk: int | None) -> TextAnalysis:
    row = TextAnalysis(pk=pk, written_at=item.written_at, analysed_at=timezone.now(), **fields)
    if item.kind == RESPONSE:
        row.response_id = item.pk
    else:
        row.feedback_item_id = item.pk
    return row


def store(
    items: Sequence[Item], results: Sequence[AnalysisResult], analysers: dict[str, str]
) -> None:
    """Create or update the analyses of `items` and replace their topic mentions."""
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    existing = _existing(items)
    new: list[tuple[TextAnalysis, AnalysisResult]] = []
    old: list[tuple[TextAnalysis, AnalysisResult]] = []
    for item, result in zip(items, results, strict=True):
        pk = existing.get((item.kind, item.pk))
        (old if pk else new).append((_row(item, _fields(result, analysers), pk), result))
    TextAnalysis.objects.bulk_create([row for row, _ in new])
    TextAnalysis.objects.bulk_update([row for row, _ in old], UPDATED_FIELDS)
    rows = new + old
    TopicMention.objects.filter(analysis_id__in=[row.pk for row, _ in old]).delete()
    mentions = [
        TopicMention(analysis_id=row.pk, topic_id=topic_ids[slug], sentiment=label or "neutral")
        for row, result in rows
        for slug, label in dict(result.topics).items()
        if slug in topic_ids
    ]
    TopicMention.objects.bulk_create(mentions)


def analyse(items: Sequence[Item]) -> int:
    """Analyse and store a batch in one transaction; returns how many were stored."""
    if not items:
        return 0
    analyzer = pipeline_service.get_analyzer()
    analysers = {lang: b.analyser_name for lang, b in pipeline_service.backends().items()}
    results = analyzer.analyze_many([item.text for item in items])
    for attempt in range(2):
        try:
            with transaction.atomic():
                store(items, results, analysers)
            break
        except IntegrityError:
            if attempt:  # another worker analysed the same item meanwhile: retry once
                raise
    return len(items)


def analyse_ids(response_ids: Sequence[int], feedback_ids: Sequence[int]) -> int:
    """(Re-)analyse the given responses and feedback items; unknown ids are skipped."""
    done = 0
    for start in range(0, max(len(response_ids), len(feedback_ids)), BATCH):
        chunk = response_ids[start : start + BATCH]
        items = response_items(commented_responses().filter(pk__in=chunk))
        chunk = feedback_ids[start : start + BATCH]
        items += feedback_items(FeedbackItem.objects.filter(pk__in=chunk))
        done += analyse(items)
    return done


def analyse_pending(limit: int | None = None, progress: Progress | None = None) -> int:
    """Analyse items that have no analysis yet, oldest id first; returns how many."""
    done = 0
    sources: list[tuple[QuerySet[Any], Callable[[QuerySet[Any]], list[Item]]]] = [
        (pending_responses(), response_items),
        (pending_feedback(), feedback_items),
    ]
    for queryset, to_items in sources:
        for batch in batches_after(queryset, 0, to_items):
            if limit is not None:
                batch = batch[: limit - done]
            done += analyse(batch)
            if progress:
                progress(len(batch))
            if limit is not None and done >= limit:
                return done
    return done


def count_pending() -> int:
    return pending_responses().count() + pending_feedback().count()


def count_items() -> int:
    return commented_responses().count() + FeedbackItem.objects.count()


def rematch_topics(analyses: Sequence[TextAnalysis]) -> None:
    """Re-match topics (and their sentiment) of analysed comments; overall sentiment is kept."""
    analyzer = pipeline_service.get_analyzer()
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    found: dict[str, list[tuple[int, str, str]]] = {}  # language -> (analysis, slug, snippet)
    for analysis in analyses:
        doc = Document(clean_text(analysis.text))
        for slug, clauses in analyzer.taxonomy.find(doc, analysis.language):
            snippet = doc.text_of(clauses)
            found.setdefault(analysis.language, []).append((analysis.pk, slug, snippet))
    mentions = []
    for language, hits in found.items():
        predictor = analyzer.predictor_for(language)
        labels = (
            predictor.predict([h[2] for h in hits]) if predictor else [("neutral", 0.0)] * len(hits)
        )
        for (analysis_id, slug, _snippet), (label, _score) in zip(hits, labels, strict=True):
            if slug in topic_ids:
                mentions.append(
                    TopicMention(analysis_id=analysis_id, topic_id=topic_ids[slug], sentiment=label)
                )
    with transaction.atomic():
        TopicMention.objects.filter(analysis__in=[a.pk for a in analyses]).delete()
        TopicMention.objects.bulk_create(mentions)
