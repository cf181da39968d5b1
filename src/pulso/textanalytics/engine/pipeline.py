"""The per-comment pipeline: language -> sentiment -> topics (with sentiment) -> key phrases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pulso.lib.cycles import no_cycle_collection

from .base import Prediction, SentimentPredictor
from .coldstart import cold_start
from .keyphrases import key_phrases_doc
from .language import UNDETERMINED, LanguageDetector
from .normalize import MAX_CHARS, Document, clean_text
from .sentiment import SentimentModel
from .taxonomy_default import default_taxonomy
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


@dataclass
class _Pending:
    result: AnalysisResult
    doc: Document
    found: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)


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
        pending = [self._prepare(t) for t in texts]
        by_language: dict[str, list[_Pending]] = {}
        for item in pending:
            if item.result.analysed:
                by_language.setdefault(item.result.language, []).append(item)
        for language, items in by_language.items():
            self._analyse_language(language, items)
        return [item.result for item in pending]

    def _prepare(self, raw: str | bytes | None) -> _Pending:
        truncated = isinstance(raw, str | bytes) and len(raw) > MAX_CHARS
        text = clean_text(raw)
        doc = Document(text)
        if not text:
            return _Pending(AnalysisResult(UNDETERMINED, False, False, REASON_EMPTY), doc)
        guess = self.detector.detect(text, doc.tokens)
        result = AnalysisResult(guess.code, guess.supported, False, truncated=truncated)
        if guess.code == UNDETERMINED:
            result.reason = REASON_NO_LANGUAGE
        elif not guess.supported or self.predictor_for(guess.code) is None:
            result.reason = REASON_UNSUPPORTED
        else:
            result.analysed = True
        return _Pending(result, doc)

    def _analyse_language(self, language: str, items: list[_Pending]) -> None:
        predictor = self.predictor_for(language)
        assert predictor is not None  # _prepare only passes languages with a predictor
        spans: dict[tuple[int, tuple[int, ...] | None], int] = {}
        for n, item in enumerate(items):
            spans[(n, None)] = len(spans)
            item.found = self.taxonomy.find(item.doc, language)
            for _, idx in item.found:  # a parent and its child often share a clause
                spans.setdefault((n, idx), len(spans))
            item.result.key_phrases = key_phrases_doc(item.doc, language, self.key_phrase_limit)
        predictions = self._predict_spans(predictor, [item.doc for item in items], list(spans))
        for n, item in enumerate(items):
            result = item.result
            result.sentiment, result.score = predictions[spans[(n, None)]]
            snippets: dict[tuple[int, ...], str] = {}  # a parent and its child share clauses
            for slug, idx in item.found:
                label, score = predictions[spans[(n, idx)]]
                snippet = snippets.get(idx)
                if snippet is None:
                    snippet = snippets[idx] = item.doc.text_of(idx)
                result.topic_hits.append(TopicHit(slug, snippet, label, score))
                result.topics.append((slug, label))

    @staticmethod
    def _predict_spans(
        predictor: SentimentPredictor,
        docs: list[Document],
        spans: list[tuple[int, tuple[int, ...] | None]],
    ) -> list[Prediction]:
        """A trained model scores the clauses it already featurised; other predictors get
        the text of each span."""
        if isinstance(predictor, SentimentModel):
            return predictor.predict_spans(docs, spans)
        texts = [docs[n].text_of(idx) for n, idx in spans]
        return predictor.predict(texts)
