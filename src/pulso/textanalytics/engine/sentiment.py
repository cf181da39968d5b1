"""Sentiment model learned from a deployment's own rated comments (weak labels from ratings).

Ensemble of a multinomial logistic regression and one-vs-rest NB-weighted logistic regressions
(Wang & Manning's NB-SVM idea) over hashed word/bigram/stem TF-IDF. On Spanish hotel reviews the
ensemble beats plain word TF-IDF + LR by ~4 macro-F1 points, mostly on the neutral class.
When a validation split is held out (the default), the neutral class's log-prior is tuned for
macro-F1 on that split only, then the model is refit on everything with the same prior.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split

from .base import LABELS, NEGATIVE, NEUTRAL, POSITIVE, Prediction
from .coldstart import ColdStart, cold_start
from .features import HashedFeaturizer, Span
from .normalize import Document
from .tokens import BatchTokens

FORMAT_VERSION = 2  # 2: clause-level features (models of format 1 must be retrained)
# A comment whose word stems the model mostly never saw in training (another domain, new
# vocabulary) is judged partly by the cold-start lexicon: below this share of known stems the
# model's probabilities are blended with the lexicon's, with weight (share / FULL_COVERAGE)².
# Measured (bench/text_accuracy.py): in-domain comments almost never fall below it, while a model
# trained on one kind of comment keeps most of the lexicon's accuracy on another.
FULL_COVERAGE = 0.9
MIN_GAIN = 0.005  # a retrain must beat the active model by this much macro-F1 to replace it


@dataclass(frozen=True)
class ValidationReport:
    """Held-out metrics of a trained model."""

    n_train: int
    n_validation: int
    accuracy: float | None
    macro_f1: float | None
    binary_accuracy: float | None  # negative vs positive items only, by the sign of the score
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)

    def better_than(self, other: ValidationReport | None, min_gain: float = MIN_GAIN) -> bool:
        """True when this model should replace `other` (no other, or clearly higher macro-F1)."""
        if other is None or other.macro_f1 is None:
            return self.macro_f1 is not None or other is None
        if self.macro_f1 is None:
            return False
        return self.macro_f1 >= other.macro_f1 + min_gain

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _nb_ratio(x: sp.csr_matrix, is_class: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Log-count ratio of binarised features between a class and the rest."""
    binary = x.copy()
    binary.data[:] = 1.0
    pos = alpha + np.asarray(binary[is_class].sum(axis=0)).ravel()
    neg = alpha + np.asarray(binary[~is_class].sum(axis=0)).ravel()
    return np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class _LinearEnsemble:
    """Dense float32 weights of both members; prediction is two sparse-dense products."""

    classes: list[str]
    lr_coef: np.ndarray
    lr_bias: np.ndarray
    nb_coef: np.ndarray
    nb_bias: np.ndarray
    class_bias: np.ndarray | None = None  # log-prior shift tuned for macro-F1 on validation

    def proba(self, x: sp.csr_matrix) -> np.ndarray:
        lr = _softmax(np.asarray(x @ self._columns(self.lr_coef)) + self.lr_bias)
        nb = _softmax(np.asarray(x @ self._columns(self.nb_coef)) + self.nb_bias)
        return _shift((lr + nb) / 2, self.class_bias)

    def _columns(self, coef: np.ndarray) -> np.ndarray:
        """``coef.T`` laid out by rows, kept per weight array: scipy copies a transposed view
        into that layout for every product (the same numbers, in the same order)."""
        cache: dict[int, tuple[np.ndarray, np.ndarray]] = self.__dict__.setdefault(
            "_transposed", {}
        )
        hit = cache.get(id(coef))
        if hit is None or hit[0] is not coef:
            hit = cache[id(coef)] = (coef, np.ascontiguousarray(coef.T))
        return hit[1]

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state.pop("_transposed", None)  # a cache, not stored with the model
        return state


def _shift(proba: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """Multiply class probabilities by exp(bias) and renormalise."""
    if bias is None or not bias.any():
        return proba
    shifted = proba * np.exp(bias)
    return shifted / shifted.sum(axis=1, keepdims=True)


NEUTRAL_SHIFTS = np.linspace(-1.0, 1.0, 41)


def _tune_neutral(y: np.ndarray, proba: np.ndarray, classes: list[str]) -> np.ndarray | None:
    """The neutral log-prior shift that maximises macro-F1 on held-out data (the neutral
    class sits between the other two and is the one most often under-predicted); None
    without a neutral class. Ties go to the smallest shift."""
    if NEUTRAL not in classes or len(classes) < 3:
        return None
    best, best_f1 = np.zeros(len(classes)), -1.0
    names = np.asarray(classes)
    for shift in sorted(NEUTRAL_SHIFTS, key=abs):
        bias = np.where(names == NEUTRAL, shift, 0.0)
        f1 = f1_score(y, names[_shift(proba, bias).argmax(axis=1)], average="macro")
        if f1 > best_f1 + 1e-9:
            best, best_f1 = bias, f1
    return best.astype(np.float32)


def _fit_ensemble(x: sp.csr_matrix, y: np.ndarray, c: float) -> _LinearEnsemble:
    classes = sorted(set(y.tolist()), key=LABELS.index)
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    lr.fit(x, y)
    order = [list(lr.classes_).index(k) for k in classes]
    lr_coef, lr_bias = lr.coef_, lr.intercept_
    if len(classes) == 2:  # binary LR stores one row: expand to one per class
        lr_coef, lr_bias = np.vstack([-lr_coef, lr_coef]) / 2, np.array([-1, 1]) * lr_bias / 2
    nb_rows, nb_bias = [], []
    for k in classes:
        target = y == k
        ratio = _nb_ratio(x, target)
        member = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        member.fit(x @ sp.diags(ratio), target)
        nb_rows.append(member.coef_[0] * ratio)  # fold the NB ratio into the weights
        nb_bias.append(member.intercept_[0])
    return _LinearEnsemble(
        classes,
        np.asarray(lr_coef[order] if len(classes) > 2 else lr_coef, dtype=np.float32),
        np.asarray(lr_bias[order] if len(classes) > 2 else lr_bias, dtype=np.float32),
        np.asarray(nb_rows, dtype=np.float32),
        np.asarray(nb_bias, dtype=np.float32),
    )


def _report(
    y_true: np.ndarray, proba: np.ndarray, classes: list[str], n_train: int
) -> ValidationReport:
    y_pred = np.asarray(classes)[proba.argmax(axis=1)]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=classes, zero_division=0)
    per_class = {
        k: {
            "precision": float(p[i]),
            "recall": float(r[i]),
            "f1": float(f[i]),
            "support": int(s[i]),
        }
        for i, k in enumerate(classes)
    }
    polar = np.isin(y_true, [NEGATIVE, POSITIVE])
    binary = None
    if polar.any() and NEGATIVE in classes and POSITIVE in classes:
        score = proba[:, classes.index(POSITIVE)] - proba[:, classes.index(NEGATIVE)]
        binary = float(accuracy_score(y_true[polar] == POSITIVE, score[polar] > 0))
    return ValidationReport(
        n_train=n_train,
        n_validation=len(y_true),
        accuracy=float(accuracy_score(y_true, y_pred)),
        macro_f1=float(f1_score(y_true, y_pred, labels=classes, average="macro")),
        binary_accuracy=binary,
        per_class=per_class,
    )


def _split(
    texts: list[str], y: np.ndarray, fraction: float, seed: int
) -> tuple[list[str], list[str], np.ndarray, np.ndarray] | None:
    """Stratified hold-out split, or None when there is too little data to validate."""
    counts = np.unique(y, return_counts=True)[1]
    n_val = int(round(len(y) * fraction))
    if fraction <= 0 or n_val < len(counts) or counts.min() < 2:
        return None
    tr, va, ytr, yva = train_test_split(texts, y, test_size=n_val, random_state=seed, stratify=y)
    return list(tr), list(va), np.asarray(ytr), np.asarray(yva)


def _held_out(
    tr: list[str], va: list[str], ytr: np.ndarray, yva: np.ndarray, language: str, c: float
) -> tuple[SentimentModel, ValidationReport]:
    """Fit on `tr`, tune the neutral prior on `va`, report on `va` (slightly optimistic: the
    prior was tuned there). Choosing C on the same split was tried and overfitted it."""
    model = SentimentModel._fit(tr, ytr, language, c)
    proba = model.predict_proba(va)
    model.ensemble.class_bias = _tune_neutral(yva, proba, model.ensemble.classes)
    shifted = _shift(proba, model.ensemble.class_bias)
    return model, _report(yva, shifted, model.ensemble.classes, len(tr))


class SentimentModel:
    """A trained, serialisable sentiment predictor for one language."""

    def __init__(
        self,
        language: str,
        featurizer: HashedFeaturizer,
        ensemble: _LinearEnsemble,
        report: ValidationReport,
    ) -> None:
        self.language = language
        self.featurizer = featurizer
        self.ensemble = ensemble
        self.report = report

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        language: str = "es",
        validation_fraction: float = 0.2,
        seed: int = 0,
        c: float = 2.0,
        refit: bool = True,
    ) -> SentimentModel:
        """Fit on rated comments; report held-out metrics, then (refit) fit on everything."""
        texts, y = list(texts), np.asarray(labels, dtype=object)
        unknown = set(y.tolist()) - set(LABELS)
        if unknown or len(set(y.tolist())) < 2:
            raise ValueError(f"labels must be two or more of {LABELS}, got {sorted(set(y))}")
        split = _split(texts, y, validation_fraction, seed)
        report = ValidationReport(len(texts), 0, None, None, None)
        if split is not None:
            tr, va, ytr, yva = split
            held_out, report = _held_out(tr, va, ytr, yva, language, c)
            bias = held_out.ensemble.class_bias
            if not refit:
                held_out.report = report
                return held_out
        model = cls._fit(texts, y, language, c)
        if split is not None:
            model.ensemble.class_bias = bias
        model.report = report
        return model

    @classmethod
    def _fit(cls, texts: list[str], y: np.ndarray, language: str, c: float) -> SentimentModel:
        docs = [Document(t) for t in texts]
        featurizer = HashedFeaturizer(language=language).fit(docs)
        ensemble = _fit_ensemble(featurizer.transform(docs), y, c)
        empty = ValidationReport(len(texts), 0, None, None, None)
        return cls(language, featurizer, ensemble, empty)

    @property
    def classes(self) -> list[str]:
        return list(self.ensemble.classes)

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state.pop("_lexicon", None)  # rebuilt on demand, not stored with the model
        return state

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, columns in `classes` order."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        docs = [Document(text) for text in texts]
        return self._span_proba(docs, [(i, None) for i in range(len(docs))])

    def _span_proba(
        self, docs: Sequence[Document], spans: Sequence[Span], batch: BatchTokens | None = None
    ) -> np.ndarray:
        x, coverage = self.featurizer.transform_spans_with_coverage(docs, spans, batch)
        return self._back_off(self.ensemble.proba(x), coverage, docs, spans)

    def _back_off(
        self,
        proba: np.ndarray,
        coverage: np.ndarray,
        docs: Sequence[Document],
        spans: Sequence[Span],
    ) -> np.ndarray:
        """Blend the spans the model knows too little of with the lexicon (FULL_COVERAGE)."""
        weak = np.flatnonzero(coverage < FULL_COVERAGE)
        lexicon = self._cold_start()
        if lexicon is None or not len(weak):
            return proba
        weak_spans = [spans[i] for i in weak.tolist()]
        scores = np.array([lexicon.score(docs[n].text_of(clauses)) for n, clauses in weak_spans])
        columns = {
            NEGATIVE: np.maximum(-scores, 0.0),
            NEUTRAL: 1.0 - np.abs(scores),
            POSITIVE: np.maximum(scores, 0.0),
        }
        votes = np.stack([columns[label] for label in self.classes], axis=1)
        votes /= np.maximum(votes.sum(axis=1, keepdims=True), 1e-9)
        weight = ((coverage[weak] / FULL_COVERAGE) ** 2)[:, None]
        blended = proba.astype(np.float64)
        blended[weak] = weight * blended[weak] + (1.0 - weight) * votes
        return blended

    def _cold_start(self) -> ColdStart | None:
        if "_lexicon" not in self.__dict__:
            self.__dict__["_lexicon"] = cold_start(self.language)
        lexicon: ColdStart | None = self.__dict__["_lexicon"]
        return lexicon

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """(label, score) per text; score = P(positive) - P(negative) in [-1, 1]."""
        return self._predictions(self.predict_proba(texts))

    def predict_spans(
        self, docs: Sequence[Document], spans: Sequence[Span], batch: BatchTokens | None = None
    ) -> list[Prediction]:
        """(label, score) per span: a whole document (clauses None) or some of its clauses,
        as :meth:`predict` would give for those clauses' text, from one featurisation pass
        (`batch`: the documents' marks already looked up)."""
        if not spans:
            return []
        return self._predictions(self._span_proba(docs, spans, batch))

    def _predictions(self, proba: np.ndarray) -> list[Prediction]:
        classes = self.classes
        pos = proba[:, classes.index(POSITIVE)] if POSITIVE in classes else 0.0
        neg = proba[:, classes.index(NEGATIVE)] if NEGATIVE in classes else 0.0
        scores = np.clip(pos - neg, -1.0, 1.0) + np.zeros(len(proba))
        best = proba.argmax(axis=1)
        # Plain Python numbers first: iterating numpy arrays boxes every element.
        return [(classes[i], s) for i, s in zip(best.tolist(), scores.tolist(), strict=True)]

    def better_than(self, other: SentimentModel | ValidationReport | None) -> bool:
        """Replace-the-active-model rule (see ValidationReport.better_than)."""
        other_report = other.report if isinstance(other, SentimentModel) else other
        return self.report.better_than(other_report)

    def to_bytes(self) -> bytes:
        """Versioned pickle of numpy arrays (a few MB; loads in well under a second)."""
        payload = {"format": FORMAT_VERSION, "language": self.language, "model": self}
        buffer = io.BytesIO()
        pickle.dump(payload, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SentimentModel:
        """Inverse of to_bytes; only load bytes this deployment wrote (pickle runs code)."""
        payload = pickle.loads(data)
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
            raise ValueError("not a Pulso sentiment model, or written by an incompatible version")
        model = payload["model"]
        if not isinstance(model, cls):
            raise ValueError("payload does not hold a SentimentModel")
        return model
