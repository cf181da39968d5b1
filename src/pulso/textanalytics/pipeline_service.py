"""The engine's Analyzer with this deployment's active models and taxonomy, once per process.

Loading a trained model takes a few hundred milliseconds, so the analyser is cached and rebuilt
only when its inputs change: another sentiment model is activated or a topic is edited
(checked with two cheap queries per call of :func:`get_analyzer`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from pulso.env import env_str
from pulso.textanalytics.engine.base import SentimentPredictor
from pulso.textanalytics.engine.language import SUPPORTED
from pulso.textanalytics.engine.lexicon import WORDS
from pulso.textanalytics.engine.pipeline import Analyzer
from pulso.textanalytics.engine.sentiment import SentimentModel
from pulso.textanalytics.engine.transformer import TransformerSentiment, TransformerUnavailable
from pulso.textanalytics.models import SentimentModelVersion
from pulso.textanalytics.taxonomy import active_taxonomy, taxonomy_stamp

logger = logging.getLogger(__name__)

COLD_START = "coldstart"
TRAINED = "trained"
TRANSFORMER = "transformer"


@dataclass
class Backend:
    """Which sentiment analyser serves a language, and why."""

    language: str
    kind: str  # COLD_START, TRAINED or TRANSFORMER; "" when the language has none
    version: SentimentModelVersion | None = None
    error: str = ""

    @property
    def analyser_name(self) -> str:
        """What TextAnalysis.analyser records."""
        if self.kind == TRAINED and self.version is not None:
            return f"trained:{self.version.pk}"
        return self.kind


def transformer_path() -> str:
    """PULSO_TRANSFORMER_MODEL_PATH (a setting overrides the environment, for tests)."""
    configured = getattr(settings, "PULSO_TRANSFORMER_MODEL_PATH", None)
    if configured is not None:
        return str(configured)
    return env_str("PULSO_TRANSFORMER_MODEL_PATH", "") or ""


def languages() -> list[str]:
    """Languages Pulso analyses: those the detector supports and a cold-start lexicon covers."""
    return [language for language in SUPPORTED if language in WORDS]


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[Any, ...] | None = None
        self.analyzer: Analyzer | None = None
        self.backends: dict[str, Backend] = {}
        self.transformers: dict[str, tuple[str, Any]] = {}


_cache = _Cache()


def _active_versions() -> dict[str, SentimentModelVersion]:
    active = SentimentModelVersion.objects.filter(status=SentimentModelVersion.Status.ACTIVE)
    return {v.language: v for v in active.defer("model_bytes")}


def _cache_key(active: dict[str, SentimentModelVersion]) -> tuple[Any, ...]:
    # trained_at too: SQLite may reuse the pk of a version rolled back in a test.
    models = tuple(sorted((language, v.pk, v.trained_at) for language, v in active.items()))
    return (models, taxonomy_stamp(), transformer_path())


def _transformer(language: str, path: str) -> tuple[SentimentPredictor | None, str]:
    """The transformer for `language` (loaded once per path), or None and the reason."""
    cached = _cache.transformers.get(language)
    if cached is None or cached[0] != path:
        try:
            cached = (path, TransformerSentiment(path, language=language))
        except (TransformerUnavailable, OSError, ValueError) as error:
            cached = (path, str(error))
        _cache.transformers[language] = cached
    loaded = cached[1]
    return (None, loaded) if isinstance(loaded, str) else (loaded, "")


def _backend(language: str, version: SentimentModelVersion | None) -> tuple[Backend, Any]:
    """The best loadable analyser for `language`: transformer, trained model, cold start."""
    error = ""
    path = transformer_path()
    if path:
        predictor, error = _transformer(language, path)
        if predictor is not None:
            return Backend(language, TRANSFORMER), predictor
    if version is not None:
        try:
            loaded = SentimentModelVersion.objects.values_list("model_bytes", flat=True)
            model = SentimentModel.from_bytes(bytes(loaded.get(pk=version.pk)))
            return Backend(language, TRAINED, version, error), model
        except (ValueError, EOFError, AttributeError, ImportError) as exc:
            error = error or f"model #{version.pk} could not be loaded: {exc}"
            logger.exception("Sentiment model %s could not be loaded", version.pk)
    return Backend(language, COLD_START, error=error), None


def _build(active: dict[str, SentimentModelVersion]) -> tuple[Analyzer, dict[str, Backend]]:
    models: dict[str, Any] = {}
    backends: dict[str, Backend] = {}
    for language in languages():
        backend, predictor = _backend(language, active.get(language))
        backends[language] = backend
        if predictor is not None:
            models[language] = predictor
    return Analyzer(models=models, taxonomy=active_taxonomy()), backends


def get_analyzer() -> Analyzer:
    """The analyser for the active models and taxonomy (rebuilt only when they change)."""
    return _current()[0]


def backends() -> dict[str, Backend]:
    """Which analyser serves each language right now."""
    return _current()[1]


def _current() -> tuple[Analyzer, dict[str, Backend]]:
    active = _active_versions()
    key = _cache_key(active)
    with _cache.lock:
        if _cache.analyzer is None or _cache.key != key:
            _cache.analyzer, _cache.backends = _build(active)
            _cache.key = key
        return _cache.analyzer, _cache.backends


def reset() -> None:
    """Forget the cached analyser (tests; a changed transformer directory)."""
    with _cache.lock:
        _cache.key, _cache.analyzer = None, None
        _cache.backends, _cache.transformers = {}, {}
