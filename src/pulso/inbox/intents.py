"""The assistant's intent classifier: which question of the knowledge base a message asks.

Trained on the company's own example questions (each article's questions are one intent).
Features are TF-IDF word uni- and bigrams plus character 2–5-grams within words (robust to
typos and inflections in Spanish). Two linear models vote: a multi-class (Crammer–Singer)
linear SVM, whose scores a softmax turns into probabilities, and a logistic regression; the
confidence is their averaged probability of the chosen intent, which is what the handoff
threshold is compared with. No cloud service, nothing downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
import scipy.sparse as sp
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

# Below this confidence the assistant does not answer and hands off to a person.
DEFAULT_HANDOFF_THRESHOLD = 0.5


@dataclass(frozen=True)
class Guess:
    intent: str
    confidence: float


class IntentClassifier:
    """Word + character n-gram TF-IDF, a linear SVM and a logistic regression averaged."""

    def __init__(self, svm_c: float = 0.7, lr_c: float = 30.0, temperature: float = 0.1) -> None:
        self.svm_c = svm_c
        self.lr_c = lr_c
        self.temperature = temperature
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
        )
        self.intents: np.ndarray = np.array([])

    def _features(self, texts: Sequence[str], fit: bool = False) -> sp.csr_matrix:
        if fit:
            return sp.hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)])
        return sp.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> Self:
        if len(set(intents)) < 2:
            raise ValueError("An intent classifier needs at least two intents.")
        x = self._features(texts, fit=True).tocsr()
        self.svm = LinearSVC(C=self.svm_c, multi_class="crammer_singer").fit(x, intents)
        self.lr = LogisticRegression(C=self.lr_c, max_iter=500).fit(x, intents)
        self.intents = self.svm.classes_
        return self

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per intent (``self.intents``), rows summing to 1."""
        x = self._features(texts)
        scores = self.svm.decision_function(x)
        if scores.ndim == 1:  # two intents: one score, for the second
            scores = np.column_stack([-scores, scores])
        svm = softmax(scores / self.temperature, axis=1)
        return (svm + self.lr.predict_proba(x)) / 2

    def guess(self, texts: Sequence[str]) -> list[Guess]:
        proba = self.probabilities(texts)
        best = proba.argmax(axis=1)
        return [
            Guess(str(self.intents[i]), float(p))
            for i, p in zip(best, proba.max(axis=1), strict=True)
        ]
