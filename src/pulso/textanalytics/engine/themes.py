"""Emerging themes in uncovered negative comments, and topics growing unusually fast."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from scipy import stats
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from .keyphrases import STOPWORDS
from .normalize import fold

SEED = 0


@dataclass(frozen=True)
class Theme:
    """A cluster of similar comments with a label made of its characteristic terms."""

    label: str
    terms: list[str]
    member_ids: list[object]
    count: int
    examples: list[str]
    recent: int  # members dated in the last window
    previous: int  # members dated in the window before
    growth: float  # (recent - previous) / max(previous, 1)


@dataclass(frozen=True)
class GrowthAlert:
    """A topic whose latest weekly count is unusually high against its history."""

    slug: str
    latest: int
    expected: float
    p_value: float
    z_score: float
    history: list[int] = field(default_factory=list)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _vectorize(texts: list[str], language: str) -> tuple[np.ndarray, list[str]]:
    stop = sorted(STOPWORDS.get(language, STOPWORDS["en"]))
    vectorizer = TfidfVectorizer(
        preprocessor=fold,
        stop_words=stop,
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
    )
    matrix = vectorizer.fit_transform(texts)
    return matrix.toarray(), list(vectorizer.get_feature_names_out())


def _best_k(x: np.ndarray, k_max: int, tolerance: float = 0.9) -> np.ndarray:
    """K-means labels for the smallest k in 2..k_max whose silhouette is within `tolerance` of
    the best: analysts want a few broad themes, not one per wording."""
    candidates: list[tuple[int, float, np.ndarray]] = []
    # More clusters than distinct comments cannot be formed (repeated wordings are common).
    distinct = len(np.unique(np.round(x, 6), axis=0))
    for k in range(2, min(k_max, len(x) - 1, distinct) + 1):
        labels = KMeans(n_clusters=k, n_init=5, random_state=SEED).fit_predict(x)
        if len(set(labels)) > 1:
            score = float(silhouette_score(x, labels, metric="cosine", random_state=SEED))
            candidates.append((k, score, labels))
    if not candidates:
        return np.zeros(len(x), dtype=int)
    best = max(score for _, score, _ in candidates)
    return next(labels for _, score, labels in candidates if score >= tolerance * best)


def emerging_themes(
    items: Sequence[tuple[object, str, date | datetime]],
    window_start: date,
    window_days: int = 28,
    language: str = "es",
    k_max: int = 12,
    min_size: int = 3,
) -> list[Theme]:
    """Cluster (id, text, date) items; growth compares [window_start, +window_days) with the
    window before. Deterministic for the same input."""
    if len(items) < 2 * min_size:
        return []
    texts = [text for _, text, _ in items]
    x, vocab = _vectorize(texts, language)
    if not vocab:
        return []
    labels = _best_k(x, k_max)
    previous_start = window_start.toordinal() - window_days
    themes = []
    for cluster in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == cluster)
        if len(members) < min_size:
            continue
        themes.append(
            _theme(items, x, vocab, members, window_start.toordinal(), previous_start, window_days)
        )
    return sorted(themes, key=lambda t: (-t.count, t.label))


def _theme(
    items: Sequence[tuple[object, str, date | datetime]],
    x: np.ndarray,
    vocab: list[str],
    members: np.ndarray,
    start: int,
    previous_start: int,
    window_days: int,
) -> Theme:
    centroid = x[members].mean(axis=0)
    contrast = centroid - x.mean(axis=0)  # characteristic, not just frequent
    terms = [vocab[i] for i in np.argsort(-contrast)[:5] if contrast[i] > 0]
    similarity = x[members] @ centroid
    examples = [items[members[i]][1] for i in np.argsort(-similarity)[:3]]
    days = [_as_date(items[m][2]).toordinal() for m in members]
    recent = sum(start <= d < start + window_days for d in days)
    previous = sum(previous_start <= d < start for d in days)
    return Theme(
        label=", ".join(terms[:3]),
        terms=terms,
        member_ids=[items[m][0] for m in members],
        count=len(members),
        examples=examples,
        recent=recent,
        previous=previous,
        growth=(recent - previous) / max(previous, 1),
    )


def growing_topics(
    weekly_counts: dict[str, Sequence[int]],
    alpha: float = 0.01,
    min_latest: int = 5,
    min_history: int = 4,
) -> list[GrowthAlert]:
    """Topics whose last weekly count is improbably high under a Poisson with the mean of the
    earlier weeks (one-sided test, alpha after Bonferroni over topics)."""
    alerts = []
    threshold = alpha / max(len(weekly_counts), 1)
    for slug, counts in weekly_counts.items():
        history, latest = list(counts[:-1]), int(counts[-1]) if len(counts) else 0
        if len(history) < min_history or latest < min_latest:
            continue
        expected = max(float(np.mean(history)), 0.5)  # an empty history still has some rate
        p_value = float(stats.poisson.sf(latest - 1, expected))
        z_score = (latest - expected) / max(float(np.std(history, ddof=1)), np.sqrt(expected))
        if p_value < threshold:
            alerts.append(GrowthAlert(slug, latest, expected, p_value, z_score, history))
    return sorted(alerts, key=lambda a: a.p_value)
