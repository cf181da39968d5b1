"""The per-comment pipeline: language -> sentiment -> topics (with sentiment) -> key phrases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from pulso.lib.cycles import no_cycle_collection

from .base import Prediction, SentimentPredictor
from .coldstart import cold_start
from .keyphrases import key_phrases_many
from .language import UNDETERMINED, LanguageDetector, batch_votes
from .normalize import MAX_CHARS, Document, clean_text
from .sentiment import SentimentModel
from .taxonomy_default import default_taxonomy
from .tokens import BatchTokens
from .topics import Taxonomy, TopicHit

REASON_EMPTY = "empty"
REASON_NO_LANGUAGE = "no_language"  # emoji-only, too short, symbols
REASON_UNSUPPORTED = "unsupported_language"


@dataclass
class AnalysisResult:
    """What Pulso stores per comment; `analysed` is False with a `reason` when skipped."""

    language: str
    supported: bool
    analysed: bool
    reason: str | None = None
    sentiment: str | None = None
    score: float | None = None
    topics: list[tuple[str, str | None]] = field(default_factory=list)
    topic_hits: list[TopicHit] = field(default_factory=list)
    key_phrases: list[str] = field(default_factory=list)
    truncated: bool = False


class Analyzer:
    """Bundles the active predictor per language (trained, else cold start) and the taxonomy."""

    def __init__(
        self,
        models: Mapping[str, SentimentPredictor] | None = None,
        taxonomy: Taxonomy | None = None,
        detector: LanguageDetector | None = None,
        key_phrase_limit: int = 3,
    ) -> None:
        self.models = dict(models or {})
        self.taxonomy = taxonomy if taxonomy is not None else default_taxonomy()
        self.detector = detector or LanguageDetector()
        self.key_phrase_limit = key_phrase_limit

    def predictor_for(self, language: str) -> SentimentPredictor | None:
        """The trained model for `language`, else the cold-start lexicon, else None."""
        if language not in self.models:
            predictor = cold_start(language)
            if predictor is None:
                return None
            self.models[language] = predictor
        return self.models.get(language)

    def analyze(self, text: str | bytes | None) -> AnalysisResult:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Sequence[str | bytes | None]) -> list[AnalysisResult]:
        """Analyse a batch; sentiment is predicted per language in one call each."""
        with no_cycle_collection():
            # The batch's documents are freed when _analyse_batch returns, before the
            # collector is back on: its first collection then scans only the results.
            return self._analyse_batch(texts)

    def _analyse_batch(self, texts: Sequence[str | bytes | None]) -> list[AnalysisResult]:
        self.detector.load()
        cleaned = [clean_text(t) for t in texts]
        docs = [Document(text) for text in cleaned]
        batch = BatchTokens.of(docs)  # every mark looked up once, for every stage
        votes = batch_votes(batch)
        present = [k for k, text in enumerate(cleaned) if text]
        guesses = self.detector.detect_voted(
            [cleaned[k] for k in present], [votes[k] for k in present]
        )
        results: list[AnalysisResult] = []
        by_language: dict[str, list[int]] = {}
        next_guess = iter(guesses).__next__
        for k, (raw, text) in enumerate(zip(texts, cleaned, strict=True)):
            if not text:
                results.append(AnalysisResult(UNDETERMINED, False, False, REASON_EMPTY))
                continue
            guess = next_guess()
            truncated = isinstance(raw, str | bytes) and len(raw) > MAX_CHARS
            result = AnalysisResult(guess.code, guess.supported, False, truncated=truncated)
            results.append(result)
            if guess.code == UNDETERMINED:
                result.reason = REASON_NO_LANGUAGE
            elif not guess.supported or self.predictor_for(guess.code) is None:
                result.reason = REASON_UNSUPPORTED
            else:
                result.analysed = True
                by_language.setdefault(guess.code, []).append(k)
        for language, indexes in by_language.items():
            self._analyse_language(
                language,
                [results[k] for k in indexes],
                [docs[k] for k in indexes],
                batch.subset(np.asarray(indexes, dtype=np.int64)),
            )
        return results

    def _analyse_language(
        self, language: str, results: list[AnalysisResult], docs: list[Document], batch: BatchTokens
    ) -> None:
        predictor = self.predictor_for(language)
        assert predictor is not None  # _analyse_batch only passes languages with a predictor
        found_of = self.taxonomy.find_many(docs, language, batch)
        phrases = key_phrases_many(docs, language, batch, self.key_phrase_limit)
        spans: list[tuple[int, tuple[int, ...] | None]] = []
        span_of: list[list[int]] = []  # per document: its whole text's span, then each topic's
        for n, (result, found) in enumerate(zip(results, found_of, strict=True)):
            result.key_phrases = phrases[n]
            numbers = [len(spans)]
            spans.append((n, None))
            shared: dict[tuple[int, ...], int] = {}  # a parent and its child often share a clause
            for _, idx in found:
                number = shared.get(idx)
                if number is None:
                    number = shared[idx] = len(spans)
                    spans.append((n, idx))
                numbers.append(number)
            span_of.append(numbers)
        predictions = self._predict_spans(predictor, docs, spans, batch)
        for result, doc, found, numbers in zip(results, docs, found_of, span_of, strict=True):
            result.sentiment, result.score = predictions[numbers[0]]
            if not found:
                continue
            snippets: dict[tuple[int, ...], str] = {}  # a parent and its child share clauses
            hits, topics = result.topic_hits, result.topics
            for (slug, idx), number in zip(found, numbers[1:], strict=True):
                label, score = predictions[number]
                snippet = snippets.get(idx)
                if snippet is None:
                    snippet = snippets[idx] = doc.text_of(idx)
                hits.append(TopicHit(slug, snippet, label, score))
                topics.append((slug, label))

    @staticmethod
    def _predict_spans(
        predictor: SentimentPredictor,
        docs: list[Document],
        spans: list[tuple[int, tuple[int, ...] | None]],
        batch: BatchTokens,
    ) -> list[Prediction]:
        """A trained model scores the clauses it already featurised; other predictors get
        the text of each span."""
        if isinstance(predictor, SentimentModel):
            return predictor.predict_spans(docs, spans, batch)
        texts = [docs[n].text_of(idx) for n, idx in spans]
        return predictor.predict(texts)
