"""Intervals for the economics figures: Wilson for proportions, Student's t for means, and
Kaplan–Meier retention curves (statsmodels' ``SurvfuncRight``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student_t
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.proportion import proportion_confint

from pulso.lib.stats import CONFIDENCE, z_value


@dataclass(frozen=True)
class Proportion:
    """``hits`` of ``n`` as a share (0–1) with its Wilson interval."""

    hits: int
    n: int
    rate: float
    low: float
    high: float

    def complement(self) -> Proportion:
        """The share of the others (retention from churn), interval mirrored."""
        return Proportion(self.n - self.hits, self.n, 1 - self.rate, 1 - self.high, 1 - self.low)


@dataclass(frozen=True)
class Mean:
    """A mean with its t interval (``low`` = ``high`` = mean with a single value)."""

    n: int
    mean: float
    low: float
    high: float


def wilson(hits: int, n: int, confidence: float = CONFIDENCE) -> Proportion | None:
    if n <= 0:
        return None
    low, high = proportion_confint(hits, n, alpha=1 - confidence, method="wilson")
    return Proportion(hits, n, hits / n, float(low), float(high))


def mean_with_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> Mean | None:
    n = len(values)
    if n == 0:
        return None
    array = np.asarray(values, dtype=float)
    mean = float(array.mean())
    if n == 1:
        return Mean(1, mean, mean, mean)
    margin = (
        float(student_t.ppf(1 - (1 - confidence) / 2, n - 1))
        * float(array.std(ddof=1))
        / math.sqrt(n)
    )
    return Mean(n, mean, mean - margin, mean + margin)


@dataclass(frozen=True)
class CurvePoint:
    day: float
    retention: float
    low: float
    high: float
    at_risk: int


def kaplan_meier(
    durations: Sequence[float], churned: Sequence[bool], confidence: float = CONFIDENCE
) -> list[CurvePoint]:
    """The retention curve: day 0 at 1, one point per day with a churn, and a last point where
    the longest follow-up ends; pointwise interval from Greenwood's standard error, clipped
    to 0–1."""
    if not durations:
        return []
    fit = SurvfuncRight(np.asarray(durations, dtype=float), np.asarray(churned, dtype=float))
    z = z_value(confidence)
    points = [CurvePoint(0.0, 1.0, 1.0, 1.0, len(durations))]
    for day, survival, se, at_risk in zip(
        fit.surv_times, fit.surv_prob, fit.surv_prob_se, fit.n_risk, strict=True
    ):
        low, high = max(survival - z * se, 0.0), min(survival + z * se, 1.0)
        points.append(CurvePoint(float(day), float(survival), low, high, int(at_risk)))
    last, longest = points[-1], float(max(durations))
    if longest > last.day:
        still = sum(1 for duration in durations if duration >= longest)
        points.append(CurvePoint(longest, last.retention, last.low, last.high, still))
    return points


def retention_at(curve: Sequence[CurvePoint], day: float) -> CurvePoint | None:
    """The curve's value on ``day`` (the last step at or before it)."""
    found = None
    for point in curve:
        if point.day > day:
            break
        found = point
    return found
