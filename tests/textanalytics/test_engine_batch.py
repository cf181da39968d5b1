"""A batch's stages read its marks from one shared token index: they must give what the
per-comment functions give, also after the index starts afresh."""

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pytest

from pulso.textanalytics.engine.keyphrases import key_phrases_doc, key_phrases_many
from pulso.textanalytics.engine.language import (
    VOTE_MIN_TOKENS,
    VOTE_TOKENS,
    LanguageDetector,
    batch_votes,
    function_word_vote,
)
from pulso.textanalytics.engine.normalize import Document, clean_text
from pulso.textanalytics.engine.pipeline import AnalysisResult, Analyzer
from pulso.textanalytics.engine.sentiment import SentimentModel
from pulso.textanalytics.engine.taxonomy_default import default_taxonomy
from pulso.textanalytics.engine.tokens import BatchTokens, shared_index

from .test_engine_sentiment import corpus

PIECES = [
    "El pedido llegó tarde",
    "pero el repartidor fue muy amable",
    "la atención al cliente, pésima",
    "y el precio caro",
    "Aunque tardó, el técnico no sabía nada",
    "nadie contesta al teléfono",
    "la tienda estaba sucia y desordenada",
    "The delivery was late, but the driver was kind",
    "O atendimento foi muito bom, mas a entrega demorou",
    "😀",
    "¡Genial!",
    "servicio de habitaciones",
    "Привет, мир",
]


def comments(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [". ".join(rng.choices(PIECES, k=rng.randint(1, 12))) for _ in range(n)]
    return [*texts, "", "...", "no", "the and of to is was it i with my for this " * 5]


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    texts, labels = corpus(300)
    return SentimentModel.train(texts, labels, "es", validation_fraction=0)


def assert_batch_matches_documents(texts: list[str], model: SentimentModel) -> None:
    docs = [Document(clean_text(t)) for t in texts]
    batch = BatchTokens.of(docs)
    taxonomy = default_taxonomy()
    for language in ("es", "en"):
        assert taxonomy.find_many(docs, language, batch) == [
            taxonomy.find(doc, language) for doc in docs
        ]
        assert key_phrases_many(docs, language, batch, 3) == [
            key_phrases_doc(doc, language, 3) for doc in docs
        ]
    assert batch_votes(batch) == [
        function_word_vote(d.tokens[:VOTE_TOKENS]) if len(d.tokens) >= VOTE_MIN_TOKENS else None
        for d in docs
    ]
    spans = [(n, None) for n in range(len(docs))] + [
        (n, (0,)) for n, doc in enumerate(docs) if doc.sentences
    ]
    assert model.predict_spans(docs, spans, batch) == model.predict_spans(docs, spans)
    keep = [n for n in range(len(docs)) if n % 3]
    part = batch.subset(np.asarray(keep))
    assert taxonomy.find_many([docs[n] for n in keep], "es", part) == [
        taxonomy.find(docs[n], "es") for n in keep
    ]


def test_batch_stages_match_the_per_comment_functions(model: SentimentModel) -> None:
    assert_batch_matches_documents(comments(150, seed=1), model)


def test_tables_refill_after_the_index_starts_afresh(model: SentimentModel) -> None:
    assert_batch_matches_documents(comments(60, seed=2), model)
    before = shared_index()
    assert shared_index(limit=0) is not before and not shared_index().marks
    # new texts first, so that old ids would point at other marks if a table kept them
    assert_batch_matches_documents(comments(60, seed=3), model)
    assert_batch_matches_documents(comments(60, seed=2), model)


def test_analyse_many_equals_one_by_one(model: SentimentModel) -> None:
    texts = comments(80, seed=4)
    analyzer = Analyzer(models={"es": model})

    def rounded(result: AnalysisResult) -> AnalysisResult:
        # one row or many: float32 products may differ in the last bits
        score = None if result.score is None else round(result.score, 6)
        hits = [replace(h, score=round(h.score or 0.0, 6)) for h in result.topic_hits]
        return replace(result, score=score, topic_hits=hits)

    together = [rounded(r) for r in analyzer.analyze_many(texts)]
    assert together == [rounded(analyzer.analyze(t)) for t in texts]
    assert sum(r.analysed for r in together) >= 70 and any(r.topics for r in together)


def test_detect_voted_equals_detect() -> None:
    detector = LanguageDetector()
    texts = [clean_text(t) for t in comments(40, seed=5) if t]
    token_lists = [Document(t).tokens for t in texts]
    assert detector.detect_many(texts, token_lists) == [
        detector.detect(t, tokens) for t, tokens in zip(texts, token_lists, strict=True)
    ]


def test_threads_share_the_index_safely(model: SentimentModel) -> None:
    """The web server analyses in threads: new marks may reach the index from several."""
    analyzer = Analyzer(models={"es": model})
    groups = [comments(40, seed=10 + k) for k in range(4)]
    shared_index(limit=0)  # every mark new again
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(analyzer.analyze_many, groups))
    shared_index(limit=0)
    alone = [analyzer.analyze_many(texts) for texts in groups]
    assert [[(r.language, r.sentiment, r.topics, r.key_phrases) for r in g] for g in together] == [
        [(r.language, r.sentiment, r.topics, r.key_phrases) for r in g] for g in alone
    ]
