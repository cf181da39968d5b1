"""The reputation index: how well a brand is spoken of, 0–100, per period, source and unit.

Each mention scores the mean of what it has of:

- its rating, normalised so that the lowest star is 0 and the highest 100:
  ``100 · (rating − 1) / (scale − 1)``, clipped to 0–100 (review sites rate from 1 star; a
  rating on a 1-point scale, or none, is left out);
- its sentiment, read by text analysis: positive 100, neutral 50, negative 0.

The index of a group is the mean of its mentions' scores, with a 95 % interval
``mean ± 1.96 · sd / √n`` (normal approximation; none under two scored mentions). A mention
without rating and not yet analysed counts in ``n`` of mentions but not in the index.
A mention is *positive* when its sentiment is, or, not analysed, when its rating scores 75 or more.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pulso.lib.stats import z_value
from pulso.metrics.filters import bucket_start

SENTIMENT_POINTS = {"positive": 100.0, "neutral": 50.0, "negative": 0.0}
POSITIVE_RATING = 75.0
MIN_FOR_INTERVAL = 2


def rating_points(rating: Decimal | float | None, scale: int | None) -> float | None:
    """A rating on 0–100 (lowest star 0, highest 100); None without a usable rating."""
    if rating is None or not scale or scale <= 1:
        return None
    return min(100.0, max(0.0, 100.0 * (float(rating) - 1) / (scale - 1)))


def mention_score(rating: Any, scale: int | None, sentiment: str | None) -> float | None:
    """The mean of the mention's rating points and sentiment points (None without either)."""
    parts = [
        p
        for p in (rating_points(rating, scale), SENTIMENT_POINTS.get(sentiment or ""))
        if p is not None
    ]
    return sum(parts) / len(parts) if parts else None


def is_positive(rating: Any, scale: int | None, sentiment: str | None) -> bool:
    if sentiment:
        return sentiment == "positive"
    points = rating_points(rating, scale)
    return points is not None and points >= POSITIVE_RATING


@dataclass(frozen=True)
class IndexCell:
    """The index of one group of mentions, with its interval and counts."""

    key: Any
    label: str
    index: float | None
    low: float | None
    high: float | None
    n: int  # mentions
    scored: int  # mentions with a rating or a sentiment
    positive: int

    def as_row(self) -> dict[str, Any]:
        key = self.key.isoformat() if isinstance(self.key, date) else self.key
        return {"period": key, "label": self.label, "index": self.index, "low": self.low,
                "high": self.high, "n": self.n, "scored": self.scored}  # fmt: skip


def summarise(key: Any, label: str, scores: list[float | None], positive: int) -> IndexCell:
    """Mean of the scores that exist, with its 95 % interval."""
    values = [s for s in scores if s is not None]
    index = low = high = None
    if values:
        mean = sum(values) / len(values)
        index = mean
        if len(values) >= MIN_FOR_INTERVAL:
            variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
            margin = z_value() * math.sqrt(variance / len(values))
            low, high = max(0.0, mean - margin), min(100.0, mean + margin)
    return IndexCell(key, label, index, low, high, len(scores), len(values), positive)


@dataclass(frozen=True)
class MentionRow:
    day: date
    network: str
    unit: str
    score: float | None
    positive: bool
    brands: tuple[int, ...] = ()


FIELDS = (
    "feedback__received_at",
    "network",
    "feedback__org_unit__name",
    "feedback__rating",
    "feedback__rating_scale_max",
    "feedback__analysis__sentiment",
)


def mention_rows(mentions: QuerySet[Any]) -> list[MentionRow]:
    """One light row per mention (one query)."""
    zone = timezone.get_current_timezone()
    rows = []
    for moment, network, unit, rating, scale, sentiment in mentions.values_list(*FIELDS):
        day = timezone.localtime(moment, zone).date() if isinstance(moment, datetime) else moment
        rows.append(
            MentionRow(
                day,
                network or "",
                unit or "",
                mention_score(rating, scale, sentiment),
                is_positive(rating, scale, sentiment),
            )  # fmt: skip
        )
    return rows


def index_by(rows: Iterable[MentionRow], key: str, by: str = "month") -> list[IndexCell]:
    """The index per period (``key="period"``), per ``network`` or per ``unit``."""
    groups: dict[Any, list[MentionRow]] = defaultdict(list)
    for row in rows:
        group = bucket_start(row.day, by) if key == "period" else getattr(row, key)
        groups[group].append(row)
    cells = [
        summarise(k, str(k), [r.score for r in g], sum(r.positive for r in g))
        for k, g in groups.items()
    ]
    if key == "period":
        return sorted(cells, key=lambda c: c.key)
    return sorted(cells, key=lambda c: (-c.n, c.label))
