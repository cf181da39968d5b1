"""Shared sentiment vocabulary: labels, the predictor protocol, rating-to-label mapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
LABELS: tuple[str, str, str] = (NEGATIVE, NEUTRAL, POSITIVE)

Prediction = tuple[str, float]
"""(label, score in [-1, 1]); the score is P(positive) - P(negative) or a lexicon equivalent."""


class SentimentPredictor(Protocol):
    """Anything that labels comments: a trained model, the cold-start lexicon, a transformer."""

    language: str

    def predict(self, texts: Sequence[str]) -> list[Prediction]: ...


# (low, high) inclusive bounds of the negative and positive ranges; the rest is neutral.
_SCALES: dict[str, tuple[float, float, float, float]] = {
    "nps": (0, 6, 9, 10),  # detractors 0-6, passives 7-8, promoters 9-10
    "csat": (1, 2, 4, 5),
    "stars": (1, 2, 4, 5),
    "ces": (1, 2, 4, 5),  # 1-5 "it was easy" agreement scale
}


def label_from_rating(scale: str, value: float | None) -> str | None:
    """Weak label from a rating: NPS 0-6/7-8/9-10, CSAT/stars 1-2/3/4-5; None if unknown."""
    bounds = _SCALES.get(scale.lower())
    if bounds is None or value is None:
        return None
    neg_lo, neg_hi, pos_lo, pos_hi = bounds
    if not neg_lo <= value <= pos_hi:
        return None
    if value <= neg_hi:
        return NEGATIVE
    if value >= pos_lo:
        return POSITIVE
    return NEUTRAL


def label_from_score(score: float, neutral_band: float = 0.2) -> str:
    """Label for a score in [-1, 1] with a symmetric neutral band."""
    if score >= neutral_band:
        return POSITIVE
    if score <= -neutral_band:
        return NEGATIVE
    return NEUTRAL
