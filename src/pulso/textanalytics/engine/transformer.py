"""Optional backend: a Hugging Face sentiment model from a local directory (never a hub)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .base import NEGATIVE, NEUTRAL, POSITIVE, Prediction

_LABEL_ALIASES = {
    "neg": NEGATIVE,
    "negative": NEGATIVE,
    "label_0": NEGATIVE,
    "1 star": NEGATIVE,
    "2 stars": NEGATIVE,
    "neu": NEUTRAL,
    "neutral": NEUTRAL,
    "label_1": NEUTRAL,
    "3 stars": NEUTRAL,
    "pos": POSITIVE,
    "positive": POSITIVE,
    "label_2": POSITIVE,
    "4 stars": POSITIVE,
    "5 stars": POSITIVE,
}


class TransformerUnavailable(RuntimeError):
    """The optional backend cannot be used (library missing or model directory invalid)."""


class TransformerSentiment:
    """Wraps a local `transformers` text-classification pipeline in Pulso's predict interface."""

    def __init__(self, model_dir: str | Path, language: str = "es", batch_size: int = 32) -> None:
        path = Path(model_dir)
        if not path.is_dir() or not (path / "config.json").is_file():
            raise TransformerUnavailable(
                f"no model directory at {path} (expected a saved model with config.json)"
            )
        try:
            import transformers  # noqa: PLC0415 - optional dependency
        except ImportError as error:
            raise TransformerUnavailable(
                "the transformer backend needs the optional 'transformers' package "
                "(pip install transformers torch)"
            ) from error
        self.language = language
        self.batch_size = batch_size
        self._pipeline: Any = transformers.pipeline(
            "text-classification",
            model=str(path),
            tokenizer=str(path),
            top_k=None,
            local_files_only=True,
        )

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """(label, P(positive) - P(negative)) per text."""
        outputs = self._pipeline(list(texts), batch_size=self.batch_size, truncation=True)
        return [_to_prediction(scores) for scores in outputs]


def _to_prediction(scores: list[dict[str, Any]]) -> Prediction:
    probs = {NEGATIVE: 0.0, NEUTRAL: 0.0, POSITIVE: 0.0}
    for entry in scores:
        label = _LABEL_ALIASES.get(str(entry["label"]).lower())
        if label is not None:
            probs[label] += float(entry["score"])
    best = max(probs, key=lambda k: probs[k])
    return best, probs[POSITIVE] - probs[NEGATIVE]
