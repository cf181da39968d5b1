"""Sentiment model trained from ratings: learns, validates, serialises, replaces only if better."""

import random

import numpy as np
import pytest

from pulso.textanalytics.engine.base import label_from_rating
from pulso.textanalytics.engine.normalize import Document
from pulso.textanalytics.engine.sentiment import SentimentModel, ValidationReport

POSITIVE = [
    "el personal fue muy amable",
    "entrega rápida y perfecta",
    "todo excelente",
    "me encantó la atención",
    "lo recomiendo sin duda",
    "producto de gran calidad",
]
NEGATIVE = [
    "el pedido nunca llegó",
    "me cobraron de más",
    "la atención fue pésima",
    "el producto llegó roto",
    "nadie contesta al teléfono",
    "una estafa total",
]
NEUTRAL = [
    "hice el pedido el martes",
    "compré una lavadora",
    "fui a la tienda del centro",
    "pagué con tarjeta",
    "el técnico vino por la mañana",
    "pedí información",
]
FILLER = ["la semana pasada", "en la tienda", "con mi pareja", "por la web", "", "otra vez"]


def corpus(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Rated comments built from phrases; labels come from a rating as in production."""
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        stars = rng.choice([1, 2, 3, 4, 5])
        label = label_from_rating("stars", stars)
        pool = {"negative": NEGATIVE, "neutral": NEUTRAL, "positive": POSITIVE}[label]
        texts.append(f"{rng.choice(FILLER)} {rng.choice(pool)}, {rng.choice(pool)}")
        labels.append(label)
    return texts, labels


@pytest.mark.parametrize(
    ("scale", "value", "label"),
    [
        ("nps", 0, "negative"),
        ("nps", 6, "negative"),
        ("nps", 7, "neutral"),
        ("nps", 8, "neutral"),
        ("nps", 9, "positive"),
        ("csat", 2, "negative"),
        ("csat", 3, "neutral"),
        ("stars", 4, "positive"),
        ("stars", 9, None),
        ("unknown", 3, None),
        ("nps", None, None),
    ],
)
def test_label_from_rating(scale: str, value: int | None, label: str | None) -> None:
    assert label_from_rating(scale, value) == label


def test_model_learns_and_reports() -> None:
    texts, labels = corpus(400)
    model = SentimentModel.train(texts, labels, language="es", seed=1)
    assert model.report.macro_f1 is not None and model.report.macro_f1 > 0.9
    assert model.report.n_validation == 80
    assert set(model.report.per_class) == {"negative", "neutral", "positive"}
    predictions = model.predict(
        [
            "el pedido nunca llegó y me cobraron de más",
            "todo excelente, lo recomiendo",
            "compré una lavadora",
        ]
    )
    assert [label for label, _ in predictions] == ["negative", "positive", "neutral"]
    assert predictions[0][1] < -0.3 < 0.3 < predictions[1][1]
    assert all(-1.0 <= score <= 1.0 for _, score in predictions)


def test_bytes_round_trip_predicts_the_same() -> None:
    texts, labels = corpus(200)
    model = SentimentModel.train(texts, labels, validation_fraction=0)
    loaded = SentimentModel.from_bytes(model.to_bytes())
    sample = ["la atención fue pésima", "entrega rápida y perfecta"]
    assert loaded.predict(sample) == model.predict(sample)
    assert loaded.language == "es"
    with pytest.raises(ValueError):
        SentimentModel.from_bytes(b"\x80\x05N.")  # a pickle of None


def test_binary_labels_are_supported() -> None:
    texts, labels = corpus(300)
    polar = [(t, lab) for t, lab in zip(texts, labels, strict=True) if lab != "neutral"]
    model = SentimentModel.train([t for t, _ in polar], [lab for _, lab in polar], "es")
    assert model.classes == ["negative", "positive"]
    assert model.predict(["me encantó la atención"])[0][0] == "positive"


def test_retrain_replaces_only_when_better() -> None:
    good = ValidationReport(100, 20, 0.9, 0.85, 0.97)
    slightly = ValidationReport(100, 20, 0.9, 0.852, 0.97)
    clearly = ValidationReport(100, 20, 0.92, 0.88, 0.98)
    assert clearly.better_than(good)
    assert not slightly.better_than(good)
    assert not good.better_than(clearly)
    assert good.better_than(None)
    texts, labels = corpus(300)
    model = SentimentModel.train(texts, labels)
    assert model.better_than(None)
    assert not model.better_than(ValidationReport(10, 10, 1.0, 1.0, 1.0))


def test_rejects_bad_labels() -> None:
    with pytest.raises(ValueError):
        SentimentModel.train(["a", "b"], ["good", "bad"])
    with pytest.raises(ValueError):
        SentimentModel.train(["a", "b"], ["positive", "positive"])


def test_clause_spans_score_like_their_text() -> None:
    """The pipeline scores a topic's clauses from the comment's features: same as their text."""
    from pulso.textanalytics.engine.normalize import Document

    texts, labels = corpus(300)
    model = SentimentModel.train(texts, labels, validation_fraction=0)
    doc = Document("El pedido nunca llegó. Todo excelente, lo recomiendo")
    spans = [(0, None), (0, (0,)), (0, (1,))]
    by_span = model.predict_spans([doc], spans)
    by_text = model.predict([doc.text, doc.sentences[0], doc.sentences[1]])
    assert [label for label, _ in by_span] == [label for label, _ in by_text]
    assert by_span[1][0] == "negative" and by_span[2][0] == "positive"
    for (_, a), (_, b) in zip(by_span, by_text, strict=True):
        assert abs(a - b) < 1e-5


def test_neutral_prior_is_tuned_on_validation_only() -> None:
    texts, labels = corpus(400)
    model = SentimentModel.train(texts, labels, seed=1)
    bias = model.ensemble.class_bias
    assert bias is not None and bias.shape == (3,)
    assert bias[model.classes.index("negative")] == bias[model.classes.index("positive")] == 0
    untuned = SentimentModel.train(texts, labels, validation_fraction=0)
    assert untuned.ensemble.class_bias is None  # nothing held out: nothing to tune on


def test_models_of_an_older_format_are_refused() -> None:
    import pickle

    old = pickle.dumps({"format": 1, "language": "es", "model": None})
    with pytest.raises(ValueError):
        SentimentModel.from_bytes(old)


def test_comments_the_model_knows_little_of_lean_on_the_lexicon() -> None:
    texts, labels = corpus(600)
    model = SentimentModel.train(texts, labels, "es")
    negative, positive = (model.classes.index(k) for k in ("negative", "positive"))
    # Words it never saw in training: the model alone has little evidence either way.
    unseen = [
        "Habitación sucísima, ruidos toda la noche: horrible, un desastre",
        "Vistas maravillosas y desayuno buenísimo, fantástico, volveremos encantados",
    ]
    x, coverage = model.featurizer.transform_spans_with_coverage(
        [Document(t) for t in unseen], [(0, None), (1, None)]
    )
    assert (coverage < 0.5).all()
    alone, blended = model.ensemble.proba(x), model.predict_proba(unseen)
    assert blended[0, negative] > alone[0, negative] + 0.2
    assert blended[1, positive] >= alone[1, positive]
    assert [label for label, _ in model.predict(unseen)] == ["negative", "positive"]
    # Comments in its own vocabulary are the model's alone.
    known = ["el pedido nunca llegó, me cobraron de más"]
    x, coverage = model.featurizer.transform_spans_with_coverage([Document(known[0])], [(0, None)])
    assert coverage[0] == 1.0
    assert np.allclose(model.predict_proba(known), model.ensemble.proba(x))
