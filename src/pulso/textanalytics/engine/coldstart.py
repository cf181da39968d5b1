"""Cold-start sentiment for deployments with too few rated comments: lexicon + rules.

Handles negation (flips the next few words), intensifiers/diminishers, multi-word phrases and
"but" clauses (what follows a contrast weighs more, as in "bonito pero carísimo").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .base import Prediction, label_from_score
from .lexicon import CONTRASTS, INTENSIFIERS, NEGATORS, PHRASES, WORDS
from .normalize import fold, stem

NEGATION_WINDOW = 3
AFTER_CONTRAST = 1.5
BEFORE_CONTRAST = 0.6
_ALPHA = 6.0  # VADER-style squashing: score = s / sqrt(s^2 + alpha)
_BREAKS = frozenset(".;:!?()")
_MARK_RE = re.compile(r"[^\W_]+|[.,;:!?()]")


class LexiconSentiment:
    """Rule-based predictor with the same interface as SentimentModel."""

    def __init__(self, language: str = "es", neutral_band: float = 0.2) -> None:
        if language not in WORDS:
            raise ValueError(f"no cold-start lexicon for language {language!r}")
        self.language = language
        self.neutral_band = neutral_band
        self._words: dict[str, float] = {}
        self._stems: dict[str, float] = {}
        for weight, words in WORDS[language].items():
            for word in fold(words).split():
                self._words[word] = float(weight)
                self._stems.setdefault(stem(word, language), float(weight))
        self._phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for weight, phrases in PHRASES[language].items():
            for phrase in phrases:
                tokens = tuple(fold(phrase).split())
                self._phrases.setdefault(tokens[0], []).append((tokens, float(weight)))
        for entries in self._phrases.values():
            entries.sort(key=lambda e: -len(e[0]))  # longest phrase first
        self._negators = NEGATORS[language]
        self._intensifiers = INTENSIFIERS[language]
        self._contrasts = CONTRASTS[language]

    def _word_weight(self, token: str) -> float:
        weight = self._words.get(token)
        if weight is None:
            weight = self._stems.get(stem(token, self.language), 0.0)
        return weight

    def _phrase_at(self, tokens: list[str], i: int) -> tuple[int, float]:
        for phrase, weight in self._phrases.get(tokens[i], ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                return len(phrase), weight
        return 0, 0.0

    def raw_score(self, text: str) -> float:
        """Unbounded sum of weighted sentiment hits."""
        tokens = _MARK_RE.findall(fold(text))
        total, clause, negation, boost, i = 0.0, 0.0, 0, 1.0, 0
        while i < len(tokens):
            token = tokens[i]
            length, weight = self._phrase_at(tokens, i)
            if length:
                # a negated phrase flips, a bit weaker ("no lo recomiendo" is already negative)
                clause += weight * boost * (-0.7 if negation else 1.0)
                negation, boost, i = 0, 1.0, i + length
                continue
            i += 1
            if token in _BREAKS or token == ",":
                negation = 0 if token != "," else negation
                boost = 1.0
                if token in _BREAKS:
                    total, clause = total + clause, 0.0
            elif token in self._contrasts:
                total, clause = (total + clause) * BEFORE_CONTRAST, 0.0
                boost = AFTER_CONTRAST
            elif token in self._negators:
                negation = NEGATION_WINDOW
            elif token in self._intensifiers:
                boost *= self._intensifiers[token]
            else:
                weight = self._word_weight(token)
                if weight:
                    clause += weight * boost * (-0.7 if negation else 1.0)
                    boost = 1.0 if boost <= 1.5 else boost  # a contrast boost lasts the clause
                negation = max(negation - 1, 0)
        return total + clause

    def score(self, text: str) -> float:
        """Score in [-1, 1]."""
        raw = self.raw_score(text)
        return raw / math.sqrt(raw * raw + _ALPHA)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """(label, score) per text."""
        out: list[Prediction] = []
        for text in texts:
            s = self.score(text)
            out.append((label_from_score(s, self.neutral_band), s))
        return out
