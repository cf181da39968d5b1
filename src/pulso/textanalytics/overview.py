"""Aggregates shown on the text analytics pages, always over what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from pulso.textanalytics.models import AspectSentiment, Topic, TopicMention

TREND_WEEKS = 12
TREND_TOPICS = 6


@dataclass
class Counts:
    analysed: int
    not_analysed: int
    pending: int
    by_sentiment: dict[str, int]


def counts(analyses: Any, pending: int) -> Counts:
    totals = analyses.aggregate(
        n_analysed=Count("pk", filter=Q(analysed=True)),
        n_skipped=Count("pk", filter=Q(analysed=False)),
    )
    by_sentiment = dict(
        analyses.filter(analysed=True).values_list("sentiment").annotate(n=Count("pk"))
    )
    return Counts(totals["n_analysed"], totals["n_skipped"], pending, by_sentiment)


def mentions_of(analyses: Any) -> Any:
    return TopicMention.objects.filter(analysis__in=analyses.values("pk"), topic__is_active=True)


def aspects_of(analyses: Any) -> Any:
    """The aspect sentiments of `analyses`: a topic's polarity in the clause that names it."""
    return AspectSentiment.objects.filter(analysis__in=analyses.values("pk"), topic__is_active=True)


def topic_sentiment_rows(analyses: Any) -> list[dict[str, Any]]:
    """Mentions of main (first-level) topics by the polarity of the aspect."""
    rows = (
        aspects_of(analyses)
        .filter(topic__parent__isnull=True)
        .values_list("topic__name_es", "sentiment")
        .annotate(n=Count("pk"))
    )
    return [{"topic": name, "sentiment": s, "n": n} for name, s, n in rows]


def topic_trend_rows(analyses: Any) -> list[dict[str, Any]]:
    """Weekly mentions of the most mentioned main topics over the last weeks."""
    since = timezone.now() - timedelta(weeks=TREND_WEEKS)
    recent = mentions_of(analyses).filter(
        topic__parent__isnull=True, analysis__written_at__gte=since
    )
    top = [
        pk
        for pk, _n in recent.values_list("topic")
        .annotate(n=Count("pk"))
        .order_by("-n")[:TREND_TOPICS]
    ]
    rows = (
        recent.filter(topic__in=top)
        .annotate(week=TruncWeek("analysis__written_at"))
        .values_list("topic__name_es", "week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    return [{"topic": name, "week": week.date().isoformat(), "n": n} for name, week, n in rows]


def topic_counts(analyses: Any) -> dict[int, dict[str, int]]:
    """Per topic id: mentions by the polarity of the aspect."""
    result: dict[int, dict[str, int]] = {}
    rows = aspects_of(analyses).values_list("topic", "sentiment").annotate(n=Count("pk"))
    for topic_id, sentiment, n in rows:
        result.setdefault(topic_id, {})[sentiment] = n
    for counts in result.values():
        counts["net"] = net_score(counts)
    return result


def net_score(counts: dict[str, int]) -> int:
    """Positive minus negative aspects, as a percentage of all the topic's aspects (-100..100)."""
    total = sum(counts.get(k, 0) for k in ("negative", "neutral", "positive"))
    if not total:
        return 0
    return round(100 * (counts.get("positive", 0) - counts.get("negative", 0)) / total)


def topic_tree() -> list[tuple[Topic, list[Topic]]]:
    topics = list(Topic.objects.order_by("name_es"))
    children: dict[int, list[Topic]] = {}
    for topic in topics:
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    return [(t, children.get(t.pk, [])) for t in topics if not t.parent_id]
