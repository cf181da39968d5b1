"""Sentiment that learns from ratings: rated comments per language → a trained model.

A comment's rating is a weak label (NPS 0–6/7–8/9–10, CSAT 1–2/3/4–5, review stars on their
scale); below ``min_rated()`` rated comments in a language the cold-start lexicon stays in use.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q

from pulso.textanalytics import pipeline_service
from pulso.textanalytics.analysis import commented_feedback
from pulso.textanalytics.engine.base import label_from_rating
from pulso.textanalytics.engine.language import UNDETERMINED
from pulso.textanalytics.engine.normalize import clean_text, tokenize
from pulso.textanalytics.engine.sentiment import SentimentModel, ValidationReport
from pulso.textanalytics.models import SentimentModelVersion

DEFAULT_MIN_RATED = 500


def min_rated() -> int:
    """Rated comments a language needs before a model is trained for it."""
    return int(getattr(settings, "PULSO_SENTIMENT_MIN_RATED", DEFAULT_MIN_RATED))


def feedback_label(rating: Any, scale_max: int | None) -> str | None:
    """Stars or points on any scale, as 1–5 stars (1–2 negative, 3 neutral, 4–5 positive)."""
    if rating is None or not scale_max:
        return None
    if scale_max <= 1:
        return None
    stars = 1 + 4 * (float(rating) - 1) / (scale_max - 1)
    return label_from_rating("stars", round(min(max(stars, 1.0), 5.0), 1))


def response_label(nps: int | None, csat: int | None) -> str | None:
    """NPS when the response has one (the main question), else CSAT."""
    if nps is not None:
        return label_from_rating("nps", nps)
    return label_from_rating("csat", csat)


@dataclass
class RatedComments:
    """Training texts and labels by language."""

    texts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, language: str, text: str, label: str | None) -> None:
        if label is not None and text:
            self.texts[language].append(text)
            self.labels[language].append(label)

    def count(self, language: str) -> int:
        return len(self.labels.get(language, []))


def _language(text: str, known: str | None) -> str:
    """The stored analysis' language, else a fresh detection."""
    if known:
        return known
    detector = pipeline_service.get_analyzer().detector
    return detector.detect(text, tokenize(text)).code


def rated_comments() -> RatedComments:
    """Every rated comment with its weak label, grouped by language."""
    rated = RatedComments()
    responses = commented_feedback().filter(Q(nps__isnull=False) | Q(csat__isnull=False))
    rows = responses.order_by("pk").values_list("text", "nps", "csat", "analysis__language")
    for comment, nps, csat, known in rows.iterator(chunk_size=5_000):
        text = clean_text(comment)
        rated.add(_language(text, known), text, response_label(nps, csat))
    items = commented_feedback().filter(rating__isnull=False).order_by("pk")
    fields = ("text", "rating", "rating_scale_max", "analysis__language")
    for text, rating, scale, known in items.values_list(*fields).iterator(chunk_size=5_000):
        text = clean_text(text)
        rated.add(_language(text, known), text, feedback_label(rating, scale))
    rated.texts.pop(UNDETERMINED, None)
    rated.labels.pop(UNDETERMINED, None)
    return rated


def stored_report(version: SentimentModelVersion | None) -> ValidationReport | None:
    if version is None or not version.report:
        return None
    try:
        return ValidationReport(**version.report)
    except TypeError:  # a report written by an older engine: treat as unknown
        return None


def train(language: str, texts: list[str], labels: list[str]) -> SentimentModel:
    return SentimentModel.train(texts, labels, language=language)
