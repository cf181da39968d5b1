"""Aggregates shown on the text analytics pages, always over what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from pulso.textanalytics.models import Topic, TopicMention

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


def topic_sentiment_rows(analyses: Any) -> list[dict[str, Any]]:
    """Mentions of main (first-level) topics by sentiment."""
    rows = (
        mentions_of(analyses)
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
    """Per topic id: mentions by sentiment."""
    result: dict[int, dict[str, int]] = {}
    rows = mentions_of(analyses).values_list("topic", "sentiment").annotate(n=Count("pk"))
    for topic_id, sentiment, n in rows:
        result.setdefault(topic_id, {})[sentiment] = n
    return result


def topic_tree() -> list[tuple[Topic, list[Topic]]]:
    topics = list(Topic.objects.order_by("name_es"))
    children: dict[int, list[Topic]] = {}
    for topic in topics:
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    return [(t, children.get(t.pk, [])) for t in topics if not t.parent_id]
