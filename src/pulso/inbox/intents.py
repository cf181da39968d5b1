"""The assistant's intent classifier: which question of the knowledge base a message asks.

Trained on the company's own example questions (each article's questions are one intent). Three
views of the text (word uni- and bigrams with character 2–5-grams inside words; character 3–6-grams
with single words; word uni- to trigrams) each train a multi-class (Crammer–Singer) linear SVM;
a softmax turns each one's scores into probabilities and the three are averaged. The confidence
is the averaged probability of the chosen intent, which is what the handoff threshold is compared
with. Plain scikit-learn: no cloud service, nothing downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import scipy.sparse as sp
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

# Below this confidence the assistant does not answer and hands off to a person. Chosen as the
# lowest confidence at which the answers of a 4-fold cross-validation on BANKING77's train
# split were 97 % right (docs/benchmarks.md); bench/assistant.py measures it on the test split.
DEFAULT_HANDOFF_THRESHOLD = 0.76

# One view: the TF-IDF vectorisers whose features are put side by side.
VIEWS: list[list[dict[str, Any]]] = [
    [{"ngram_range": (1, 2)}, {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2}],
    [{"analyzer": "char_wb", "ngram_range": (3, 6)}, {"ngram_range": (1, 1)}],
    [{"ngram_range": (1, 3), "token_pattern": r"(?u)\b\w+\b"}],
]


@dataclass(frozen=True)
class Guess:
    intent: str
    confidence: float


class _View:
    """One view of the text and the linear SVM trained on it."""

    def __init__(self, vectorisers: list[dict[str, Any]], c: float) -> None:
        self.vectorisers = [TfidfVectorizer(sublinear_tf=True, **kw) for kw in vectorisers]
        self.svm = LinearSVC(C=c, multi_class="crammer_singer")

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> Self:
        x = sp.hstack([v.fit_transform(texts) for v in self.vectorisers]).tocsr()
        self.svm.fit(x, intents)
        return self

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        x = sp.hstack([v.transform(texts) for v in self.vectorisers]).tocsr()
        scores = self.svm.decision_function(x)
        if scores.ndim == 1:  # two intents: one score, for the second
            scores = np.column_stack([-scores, scores])
        return np.asarray(scores)


class IntentClassifier:
    """Three n-gram views of the text, a linear SVM on each, their probabilities averaged."""

    def __init__(self, c: float = 0.7, temperature: float = 0.1) -> None:
        self.c = c
        self.temperature = temperature
        self.intents: np.ndarray = np.array([])

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> Self:
        if len(set(intents)) < 2:
            raise ValueError("An intent classifier needs at least two intents.")
        self.views = [_View(view, self.c).fit(texts, intents) for view in VIEWS]
        self.intents = self.views[0].svm.classes_
        return self

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per intent (``self.intents``), rows summing to 1."""
        views = [softmax(v.scores(texts) / self.temperature, axis=1) for v in self.views]
        return np.asarray(sum(views) / len(views))

    def guess(self, texts: Sequence[str]) -> list[Guess]:
        proba = self.probabilities(texts)
        best = proba.argmax(axis=1)
        return [
            Guess(str(self.intents[i]), float(p))
            for i, p in zip(best, proba.max(axis=1), strict=True)
        ]
