"""Cold-start sentiment for deployments with too few rated comments: lexicon + rules.

Spanish and Portuguese use Pulso's lexicon (:class:`LexiconSentiment`), which handles negation
(flips the next few words), intensifiers/diminishers, multi-word phrases and "but" clauses (what
follows a contrast weighs more, as in "bonito pero carísimo"). English uses VADER
(``vaderSentiment``), a maintained English lexicon with the same kind of rules and a far larger
vocabulary (:class:`VaderSentiment`). :func:`cold_start` picks one per language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Protocol

from .base import Prediction, label_from_score
from .lexicon import CONTRASTS, INTENSIFIERS, NEGATORS, PHRASES, WORDS
from .normalize import TokenMemo, fold, stem

NEGATION_WINDOW = 3
AFTER_CONTRAST = 1.5
BEFORE_CONTRAST = 0.6
_ALPHA = 6.0  # VADER-style squashing: score = s / sqrt(s^2 + alpha)
_BREAKS = frozenset(".;:!?()")
_MARK_RE = re.compile(r"[^\W_]+|[.,;:!?()]")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


_WORD, _BREAK, _COMMA, _CONTRAST, _NEGATOR, _INTENSIFIER = range(6)


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
        # What raw_score does with a token, by token: one lookup instead of four tests (the
        # first of the tests in raw_score wins, so the later kinds are written first).
        self._kinds: dict[str, int] = dict.fromkeys(self._intensifiers, _INTENSIFIER)
        self._kinds.update(dict.fromkeys(self._negators, _NEGATOR))
        self._kinds.update(dict.fromkeys(self._contrasts, _CONTRAST))
        self._kinds.update(dict.fromkeys(_BREAKS, _BREAK))
        self._kinds[","] = _COMMA
        self._weights = TokenMemo(self._word_weight)

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
        phrases, kinds, weights = self._phrases, self._kinds, self._weights
        while i < len(tokens):
            token = tokens[i]
            length, weight = self._phrase_at(tokens, i) if token in phrases else (0, 0.0)
            if length:
                # a negated phrase flips, a bit weaker ("no lo recomiendo" is already negative)
                clause += weight * boost * (-0.7 if negation else 1.0)
                negation, boost, i = 0, 1.0, i + length
                continue
            i += 1
            kind = kinds.get(token, _WORD)
            if kind == _WORD:
                weight = weights[token]
                if weight:
                    clause += weight * boost * (-0.7 if negation else 1.0)
                    boost = 1.0 if boost <= 1.5 else boost  # a contrast boost lasts the clause
                negation = max(negation - 1, 0)
            elif kind == _BREAK:
                negation, boost = 0, 1.0
                total, clause = total + clause, 0.0
            elif kind == _COMMA:
                boost = 1.0
            elif kind == _CONTRAST:
                total, clause = (total + clause) * BEFORE_CONTRAST, 0.0
                boost = AFTER_CONTRAST
            elif kind == _NEGATOR:
                negation = NEGATION_WINDOW
            else:
                boost *= self._intensifiers[token]
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


class VaderSentiment:
    """English cold start: VADER's compound score in [-1, 1]; neutral within ±0.05, the
    threshold its authors recommend."""

    language = "en"
    neutral_band = 0.05

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()

    def score(self, text: str) -> float:
        """Sentence by sentence (VADER's negation would otherwise reach across a full stop:
        "It never arrived. Terrible." read as positive), averaged over the sentences with a
        polarity."""
        scores = [
            float(self._vader.polarity_scores(sentence)["compound"])
            for sentence in _SENTENCE_END.split(text)
            if sentence.strip()
        ]
        polar = [s for s in scores if s]
        return sum(polar) / len(polar) if polar else 0.0

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """(label, score) per text."""
        scores = [self.score(text) for text in texts]
        return [(label_from_score(s, self.neutral_band), s) for s in scores]


class ColdStart(Protocol):
    """What the cold-start analysers share: a score in [-1, 1] and labelled predictions."""

    language: str

    def score(self, text: str) -> float: ...

    def predict(self, texts: Sequence[str]) -> list[Prediction]: ...


def cold_start(language: str) -> ColdStart | None:
    """The cold-start analyser of ``language``, or None when there is none."""
    if language == "en":
        return VaderSentiment()
    return LexiconSentiment(language) if language in WORDS else None
