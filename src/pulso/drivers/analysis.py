"""Key-driver analysis: what moves the likelihood to recommend (0–10), and by how much.

Input is one row per survey response: the NPS answer as the outcome and, as drivers, the
satisfaction with the response's touchpoint (one column per touchpoint), the rated attributes
asked in the same response, and the presence of each topic in its comment. Scores are on 0–1.

A touchpoint's or attribute's score exists only where it was asked and answered; elsewhere it
is held at its mean, so that a driver counts through the responses that rated it and weighs
more when more responses did. Relative importance is Johnson's relative weights with bootstrap
intervals (``pulso.lib.importance``); topic impact is the NPS with the topic minus the NPS
without it, with its margin of error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from pulso.lib.importance import (
    CHUNKS,
    REPLICATES,
    Array,
    Importance,
    bootstrap_importance,
    chunk_moments,
)
from pulso.lib.scores import DETRACTOR_MAX, PROMOTER_MIN
from pulso.lib.stats import NpsScore, nps_difference, nps_with_margin, z_value

TOUCHPOINT, ATTRIBUTE, TOPIC = "touchpoint", "attribute", "topic"
# Fewer responses than this and no analysis is attempted (nothing to split among drivers).
MIN_RESPONSES = 10


@dataclass(frozen=True)
class Driver:
    key: str  # "touchpoint:12", "attribute:rapidez", "topic:precio"
    kind: str  # TOUCHPOINT, ATTRIBUTE or TOPIC
    label: str


@dataclass
class DriverMatrix:
    """Rows are responses: ``y`` their NPS answer (0–10), ``x`` the drivers (NaN: not asked)."""

    drivers: list[Driver]
    x: Array  # (n, p)
    y: Array  # (n,)
    units: NDArray[np.int64] | None = None  # each row's org unit id (0: none)

    @property
    def n(self) -> int:
        return int(self.y.shape[0])

    def rows(self, mask: NDArray[np.bool_]) -> DriverMatrix:
        """The same drivers over the rows where ``mask`` holds."""
        units = self.units[mask] if self.units is not None else None
        return DriverMatrix(self.drivers, self.x[mask], self.y[mask], units)


@dataclass(frozen=True)
class TopicImpact:
    """NPS of the responses that mention a topic minus that of those that do not."""

    with_topic: NpsScore
    without_topic: NpsScore
    delta: float
    low: float
    high: float
    significant: bool


@dataclass(frozen=True)
class DriverResult:
    driver: Driver
    importance: float  # share of the NPS answer's variance explained (0–1)
    low: float
    high: float
    share: float  # share of the explained variance (0–1)
    share_low: float
    share_high: float
    direction: int  # +1 when more of it goes with a higher NPS, -1 with a lower one
    base: int  # responses that rated it (touchpoints, attributes) or mention it (topics)
    performance: float | None  # mean score on 0–100 (touchpoints, attributes)
    low_base: bool
    impact: TopicImpact | None = None

    @property
    def percent(self) -> tuple[float, float, float]:
        """Share of the explained variance and its interval, in %."""
        return (self.share * 100, self.share_low * 100, self.share_high * 100)

    def as_dict(self) -> dict[str, object]:
        row: dict[str, object] = {
            "key": self.driver.key,
            "kind": self.driver.kind,
            "label": self.driver.label,
            "importance": self.importance,
            "low": self.low,
            "high": self.high,
            "share": self.share,
            "share_low": self.share_low,
            "share_high": self.share_high,
            "direction": self.direction,
            "base": self.base,
            "performance": self.performance,
            "low_base": self.low_base,
        }
        if self.impact is not None:
            row["impact"] = {
                "nps_with": self.impact.with_topic.score,
                "n_with": self.impact.with_topic.n,
                "nps_without": self.impact.without_topic.score,
                "n_without": self.impact.without_topic.n,
                "delta": self.impact.delta,
                "low": self.impact.low,
                "high": self.impact.high,
                "significant": self.impact.significant,
            }
        return row


@dataclass(frozen=True)
class KeyDriverAnalysis:
    n: int
    r2: float
    r2_low: float
    r2_high: float
    replicates: int
    low_base: bool
    results: list[DriverResult] = field(default_factory=list)

    def ranked(self) -> list[DriverResult]:
        return sorted(self.results, key=lambda r: -r.importance)

    def topics(self) -> list[DriverResult]:
        return [r for r in self.ranked() if r.impact is not None]


def analyse(
    matrix: DriverMatrix,
    low_base: int,
    replicates: int = REPLICATES,
    chunks: int = CHUNKS,
    seed: int = 0,
) -> KeyDriverAnalysis | None:
    """Relative importance of every driver, its interval, performance and topic impact."""
    if matrix.n < MIN_RESPONSES or not matrix.drivers:
        return None
    observed = ~np.isnan(matrix.x)
    base = observed.sum(axis=0)
    means = np.nanmean(np.where(base > 0, matrix.x, 0.0), axis=0)
    filled = np.where(observed, matrix.x, means)
    importance = bootstrap_importance(
        chunk_moments(filled, matrix.y, chunks), replicates, seed=seed
    )
    directions = _directions(filled, matrix.y)
    results = [
        _result(matrix, importance, j, int(base[j]), float(means[j]), directions[j], low_base)
        for j in range(len(matrix.drivers))
    ]
    return KeyDriverAnalysis(
        n=matrix.n,
        r2=importance.r2,
        r2_low=importance.r2_low,
        r2_high=importance.r2_high,
        replicates=importance.replicates,
        low_base=matrix.n < low_base,
        results=results,
    )


def _directions(x: Array, y: Array) -> list[int]:
    """Sign of each driver's covariance with the NPS answer."""
    covariance = (x - x.mean(axis=0)).T @ (y - y.mean())
    return [1 if c >= 0 else -1 for c in covariance]


def _result(
    matrix: DriverMatrix,
    importance: Importance,
    j: int,
    base: int,
    mean: float,
    direction: int,
    low_base: int,
) -> DriverResult:
    driver = matrix.drivers[j]
    is_topic = driver.kind == TOPIC
    mentioned = matrix.x[:, j] > 0
    count = int(mentioned.sum()) if is_topic else base
    return DriverResult(
        driver=driver,
        importance=float(importance.weights[j]),
        low=float(importance.low[j]),
        high=float(importance.high[j]),
        share=float(importance.shares[j]),
        share_low=float(importance.share_low[j]),
        share_high=float(importance.share_high[j]),
        direction=direction,
        base=count,
        performance=None if is_topic or not base else mean * 100,
        low_base=count < low_base,
        impact=topic_impact(mentioned, matrix.y) if is_topic else None,
    )


def _nps(scores: Array) -> NpsScore | None:
    promoters = int((scores >= PROMOTER_MIN).sum())
    detractors = int((scores <= DETRACTOR_MAX).sum())
    return nps_with_margin(promoters, detractors, int(scores.shape[0]))


def topic_impact(mentioned: NDArray[np.bool_], y: Array) -> TopicImpact | None:
    """NPS with the topic − NPS without it, with the 95 % interval of the difference."""
    with_topic, without_topic = _nps(y[mentioned]), _nps(y[~mentioned])
    difference = nps_difference(with_topic, without_topic)
    if with_topic is None or without_topic is None or difference is None:
        return None
    margin = z_value() * float(np.hypot(with_topic.standard_error, without_topic.standard_error))
    return TopicImpact(
        with_topic=with_topic,
        without_topic=without_topic,
        delta=difference.delta,
        low=difference.delta - margin,
        high=difference.delta + margin,
        significant=difference.significant,
    )
