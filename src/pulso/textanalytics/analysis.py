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

from pulso.feedback.models import Feedback
from pulso.textanalytics import pipeline_service
from pulso.textanalytics.engine.language import UNDETERMINED
from pulso.textanalytics.engine.normalize import Document, clean_text
from pulso.textanalytics.engine.pipeline import AnalysisResult
from pulso.textanalytics.engine.topics import TopicHit
from pulso.textanalytics.models import AspectSentiment, TextAnalysis, Topic, TopicMention

BATCH = 500

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
    """A comment to analyse: the text of one feedback record."""

    pk: int
    text: str
    written_at: datetime | None


def feedback_items(records: QuerySet[Feedback]) -> list[Item]:
    rows = records.values_list("pk", "text", "received_at")
    return [Item(pk, text, when) for pk, text, when in rows]


def commented_feedback() -> QuerySet[Feedback]:
    """Feedback to analyse: survey responses with a comment, and every other record (an empty
    review is analysed too, and reported as empty)."""
    return Feedback.objects.exclude(source=Feedback.Source.SURVEY, text="")


def pending_feedback() -> QuerySet[Feedback]:
    return commented_feedback().filter(analysis__isnull=True)


def batches_after(queryset: QuerySet[Feedback], after: int) -> Iterator[list[Item]]:
    """Items of `queryset` in id order past id `after`, a batch at a time (resumable)."""
    while True:
        batch = feedback_items(queryset.filter(pk__gt=after).order_by("pk")[:BATCH])
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


def _existing(items: Sequence[Item]) -> dict[int, int]:
    """Ids of the analyses the items already have, by feedback id."""
    rows = TextAnalysis.objects.filter(feedback_id__in=[i.pk for i in items])
    return dict(rows.values_list("feedback_id", "pk"))


def _row(item: Item, fields: dict[str, Any], pk: int | None) -> TextAnalysis:
    return TextAnalysis(
        pk=pk,
        feedback_id=item.pk,
        written_at=item.written_at,
        analysed_at=timezone.now(),
        **fields,
    )


def store(
    items: Sequence[Item], results: Sequence[AnalysisResult], analysers: dict[str, str]
) -> None:
    """Create or update the analyses of `items` and replace their topic mentions and aspects."""
    existing = _existing(items)
    new: list[tuple[TextAnalysis, AnalysisResult]] = []
    old: list[tuple[TextAnalysis, AnalysisResult]] = []
    for item, result in zip(items, results, strict=True):
        pk = existing.get(item.pk)
        (old if pk else new).append((_row(item, _fields(result, analysers), pk), result))
    TextAnalysis.objects.bulk_create([row for row, _ in new])
    TextAnalysis.objects.bulk_update([row for row, _ in old], UPDATED_FIELDS)
    rows = new + old
    replace_mentions(
        [row.pk for row, _ in old], [(row.pk, result.topic_hits) for row, result in rows]
    )


def replace_mentions(stale: Sequence[int], hits: Sequence[tuple[int, list[TopicHit]]]) -> None:
    """Replace the topic mentions and aspect sentiments of analyses (by id) with `hits`."""
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    TopicMention.objects.filter(analysis_id__in=stale).delete()
    AspectSentiment.objects.filter(analysis_id__in=stale).delete()
    mentions, aspects = [], []
    for analysis_id, topic_hits in hits:
        for hit in {hit.slug: hit for hit in topic_hits}.values():
            topic_id = topic_ids.get(hit.slug)
            if topic_id is None:
                continue
            label = hit.sentiment or "neutral"
            mention = TopicMention(analysis_id=analysis_id, topic_id=topic_id, sentiment=label)
            mentions.append(mention)
            aspects.append(
                AspectSentiment(
                    analysis_id=analysis_id,
                    topic_id=topic_id,
                    text=hit.sentence[:1000],
                    sentiment=label,
                    score=hit.score,
                )
            )
    TopicMention.objects.bulk_create(mentions)
    AspectSentiment.objects.bulk_create(aspects)


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


def analyse_ids(feedback_ids: Sequence[int]) -> int:
    """(Re-)analyse the given feedback records; unknown ids and empty texts are skipped."""
    done = 0
    for start in range(0, len(feedback_ids), BATCH):
        chunk = feedback_ids[start : start + BATCH]
        done += analyse(feedback_items(commented_feedback().filter(pk__in=chunk)))
    return done


def analyse_pending(limit: int | None = None, progress: Progress | None = None) -> int:
    """Analyse feedback that has no analysis yet, oldest id first; returns how many."""
    done = 0
    for batch in batches_after(pending_feedback(), 0):
        if limit is not None:
            batch = batch[: limit - done]
        done += analyse(batch)
        if progress:
            progress(len(batch))
        if limit is not None and done >= limit:
            return done
    return done


def count_pending() -> int:
    return pending_feedback().count()


def count_items() -> int:
    return commented_feedback().count()


def rematch_topics(analyses: Sequence[TextAnalysis]) -> None:
    """Re-match topics (and their aspect sentiment) of analysed comments; overall sentiment
    is kept."""
    analyzer = pipeline_service.get_analyzer()
    found: dict[str, list[tuple[int, str, str]]] = {}  # language -> (analysis, slug, snippet)
    for analysis in analyses:
        doc = Document(clean_text(analysis.text))
        for slug, clauses in analyzer.taxonomy.find(doc, analysis.language):
            snippet = doc.text_of(clauses)
            found.setdefault(analysis.language, []).append((analysis.pk, slug, snippet))
    hits: dict[int, list[TopicHit]] = {analysis.pk: [] for analysis in analyses}
    for language, rows in found.items():
        predictor = analyzer.predictor_for(language)
        texts = [r[2] for r in rows]
        labels = predictor.predict(texts) if predictor else [("neutral", None)] * len(rows)
        for (analysis_id, slug, snippet), (label, score) in zip(rows, labels, strict=True):
            hits[analysis_id].append(TopicHit(slug, snippet, label, score))
    with transaction.atomic():
        replace_mentions(list(hits), list(hits.items()))
