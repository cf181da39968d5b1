"""Emerging themes: clusters of uncovered recent negative comments, fast-growing topics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from pulso.textanalytics.engine.normalize import clean_text
from pulso.textanalytics.engine.themes import GrowthAlert, Theme, emerging_themes, growing_topics
from pulso.textanalytics.engine.topics import RuleSyntaxError, parse_rule
from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention

WINDOW_DAYS = 28
HISTORY_WEEKS = 12
MAX_ITEMS = 3_000  # the clustering is dense: bound memory and time
TREND_WEEKS = 8


@dataclass
class FoundTheme:
    """A theme ready to be stored as an EmergingTheme."""

    kind: str
    language: str
    label: str
    words: list[str]
    suggested_rule: str
    size: int
    recent_count: int
    previous_count: int
    growth: float | None
    trend: list[dict[str, object]]
    member_ids: list[int]
    example_ids: list[int]
    topic: Topic | None = None


def window_index(day: date, today: date) -> int:
    """0 for the last seven days (today included), 1 for the seven before, and so on."""
    return (today - day).days // 7


def weekly_trend(
    dates: list[datetime], today: date, weeks: int = TREND_WEEKS
) -> list[dict[str, object]]:
    """Counts per rolling seven-day window, oldest first; "week" is the window's first day."""
    counts = Counter(window_index(timezone.localtime(d).date(), today) for d in dates if d)
    return [
        {"week": (today - timedelta(days=7 * n + 6)).isoformat(), "count": counts.get(n, 0)}
        for n in reversed(range(weeks))
    ]


def suggested_rule(terms: list[str]) -> str:
    """A rule the analyst can edit: the characteristic terms, phrases quoted, OR-ed."""
    parts = [f'"{t}"' if " " in t else t for t in terms[:4]]
    rule = " OR ".join(parts)
    try:
        parse_rule(rule)
    except RuleSyntaxError:
        return ""
    return rule


def uncovered_negatives(now: datetime) -> QuerySet[TextAnalysis]:
    since = now - timedelta(days=2 * WINDOW_DAYS)
    return (
        TextAnalysis.objects.filter(analysed=True, sentiment="negative", written_at__gte=since)
        .filter(mentions__isnull=True)
        .select_related("feedback")
        .order_by("-written_at", "-pk")
    )


def _from_theme(
    theme: Theme,
    language: str,
    dates: dict[int, datetime],
    ids_by_text: dict[str, int],
    today: date,
) -> FoundTheme:
    members = [int(pk) for pk in theme.member_ids]  # type: ignore[call-overload]
    return FoundTheme(
        kind="uncovered",
        language=language,
        label=theme.label[:200],
        words=list(theme.terms),
        suggested_rule=suggested_rule(theme.terms),
        size=theme.count,
        recent_count=theme.recent,
        previous_count=theme.previous,
        growth=theme.growth,
        trend=weekly_trend([dates[m] for m in members], today),
        member_ids=members,
        example_ids=[ids_by_text[t] for t in theme.examples if t in ids_by_text],
    )


def find_uncovered(now: datetime) -> list[FoundTheme]:
    """Cluster recent negative comments without a topic, per language."""
    by_language: dict[str, list[tuple[int, str, datetime]]] = {}
    for analysis in uncovered_negatives(now)[:MAX_ITEMS]:
        text = clean_text(analysis.text)
        by_language.setdefault(analysis.language, []).append(
            (analysis.pk, text, analysis.written_at or now)
        )
    found = []
    today = timezone.localdate(now)
    window_start = today - timedelta(days=WINDOW_DAYS - 1)
    for language, items in sorted(by_language.items()):
        dates = {pk: when for pk, _text, when in items}
        ids_by_text = {text: pk for pk, text, _when in items}
        for theme in emerging_themes(items, window_start, WINDOW_DAYS, language=language):
            if not theme.terms:
                continue  # nothing sets the cluster apart: no label an analyst could use
            found.append(_from_theme(theme, language, dates, ids_by_text, today))
    return found


def weekly_topic_counts(now: datetime) -> dict[str, list[int]]:
    """Mentions per topic in rolling seven-day windows, oldest first (the last ends today)."""
    today = timezone.localdate(now)
    since = now - timedelta(days=7 * HISTORY_WEEKS)
    rows = (
        TopicMention.objects.filter(analysis__written_at__gte=since, topic__is_active=True)
        .annotate(day=TruncDate("analysis__written_at"))
        .values_list("topic__slug", "day")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, list[int]] = {}
    for slug, day, n in rows:
        index = window_index(day, today)
        if 0 <= index < HISTORY_WEEKS:
            counts.setdefault(slug, [0] * HISTORY_WEEKS)[HISTORY_WEEKS - 1 - index] += n
    return counts


def _from_alert(alert: GrowthAlert, topic: Topic, today: date) -> FoundTheme:
    counts = [*alert.history, alert.latest][-TREND_WEEKS:]
    trend = [
        {"week": (today - timedelta(days=7 * n + 6)).isoformat(), "count": c}
        for n, c in zip(reversed(range(len(counts))), counts, strict=True)
    ]
    return FoundTheme(
        kind="growing",
        language="es",
        label=topic.name_es,
        words=[],
        suggested_rule="",
        size=alert.latest,
        recent_count=alert.latest,
        previous_count=round(alert.expected),
        growth=(alert.latest - alert.expected) / max(alert.expected, 1.0),
        trend=trend,
        member_ids=[],
        example_ids=[],
        topic=topic,
    )


def find_growing(now: datetime) -> list[FoundTheme]:
    """Topics whose mentions this week are improbably high against the weeks before."""
    counts = weekly_topic_counts(now)
    weekly: dict[str, Sequence[int]] = dict(counts)
    topics = Topic.objects.in_bulk(list(counts), field_name="slug")
    today = timezone.localdate(now)
    return [
        _from_alert(a, topics[a.slug], today) for a in growing_topics(weekly) if a.slug in topics
    ]
