"""Extractive summaries a manager reads: for any set of comments (a store, a topic, a week),
the main themes with their counts and, for each, the sentence customers wrote that is most
like the others said about it.

Themes are the main topics of the comments' aspects, split by polarity ("Entrega, negativo");
the representative sentence of a theme is the aspect clause closest to the theme's centroid in
a TF-IDF space of its clauses (ties go to the most recent). Nothing is generated: every line
is a sentence a customer wrote.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Q
from sklearn.feature_extraction.text import TfidfVectorizer

from pulso.textanalytics.models import AspectSentiment, TextAnalysis

MAX_THEMES = 8
MIN_SHARE = 0.02  # a theme mentioned by fewer comments than this share is left out
MAX_CLAUSES = 2_000  # per theme: the most recent, enough to find the typical sentence


@dataclass(frozen=True)
class Theme:
    """One line of the summary."""

    topic: str
    sentiment: str
    comments: int  # comments with an aspect of this topic and polarity
    share: float  # of the summarised comments
    sentence: str  # the most representative clause customers wrote

    @property
    def percent(self) -> int:
        return round(100 * self.share)


@dataclass
class Summary:
    comments: int
    by_sentiment: dict[str, int] = field(default_factory=dict)
    themes: list[Theme] = field(default_factory=list)


def summarise(analyses: Any, limit: int = MAX_THEMES) -> Summary:
    """The summary of `analyses` (a TextAnalysis queryset, already restricted to the user)."""
    analysed = analyses.filter(analysed=True)
    counts = dict(analysed.values_list("sentiment").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    summary = Summary(comments=total, by_sentiment=counts)
    if not total:
        return summary
    aspects = (
        AspectSentiment.objects.filter(analysis__in=analysed.values("pk"), topic__is_active=True)
        .exclude(sentiment="neutral")
        .order_by("-analysis__written_at", "-pk")
        .values_list("analysis_id", "topic__name_es", "topic__parent__name_es", "sentiment", "text")
    )
    groups: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for analysis_id, name, parent, sentiment, text in aspects.iterator(chunk_size=5_000):
        clauses = groups[(parent or name, sentiment)]
        if len(clauses) < MAX_CLAUSES:
            clauses.setdefault(analysis_id, text)  # one clause per comment and theme
    sizes = _theme_sizes(analysed)
    ranked = sorted(groups, key=lambda key: (-sizes.get(key, 0), key))
    for key in ranked[:limit]:
        n = sizes.get(key, 0)
        if n < max(1, MIN_SHARE * total):
            continue
        sentence = representative(list(groups[key].values()))
        summary.themes.append(Theme(key[0], key[1], n, n / total, sentence))
    return summary


def _theme_sizes(analysed: Any) -> dict[tuple[str, str], int]:
    """Comments per (main topic name, polarity)."""
    rows = (
        AspectSentiment.objects.filter(analysis__in=analysed.values("pk"), topic__is_active=True)
        .exclude(sentiment="neutral")
        .values_list("analysis_id", "topic__name_es", "topic__parent__name_es", "sentiment")
    )
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for analysis_id, name, parent, sentiment in rows.iterator(chunk_size=5_000):
        seen[(parent or name, sentiment)].add(analysis_id)
    return {key: len(ids) for key, ids in seen.items()}


def representative(sentences: list[str]) -> str:
    """The sentence closest to the centroid of all (TF-IDF, cosine); the first (most recent)
    wins ties, and with fewer than three the most recent is taken."""
    if len(sentences) < 3:
        return sentences[0]
    vectorizer = TfidfVectorizer(sublinear_tf=True, strip_accents="unicode")
    try:
        vectors = vectorizer.fit_transform(sentences)
    except ValueError:  # no words at all (numbers, emoji)
        return sentences[0]
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    return sentences[int(np.argmax(vectors @ centroid))]


def comments_of(analyses: Any, unit_path: str | None, topic_id: int | None) -> Any:
    """`analyses` of one org unit (and those below it) and one topic (or its subtopics)."""
    if unit_path:
        analyses = analyses.filter(feedback__org_unit__path__startswith=unit_path)
    if topic_id:
        about = Q(aspects__topic_id=topic_id) | Q(aspects__topic__parent_id=topic_id)
        analyses = analyses.filter(pk__in=TextAnalysis.objects.filter(about).values("pk"))
    return analyses
