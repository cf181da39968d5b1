"""CX statistics with honest uncertainty: NPS, CSAT, CES, margins of error, significance.

NPS margin of error. Each response scores +100 (promoter, 9–10), 0 (passive, 7–8) or −100
(detractor, 0–6). With p and d the shares of promoters and detractors, the per-response score
(in units of 100) has mean p − d and variance ``p + d − (p − d)²``. The standard error of the NPS
is therefore ``sqrt((p + d − (p − d)²) / n) · 100`` and the margin of error at confidence c is
``z · SE`` with z the two-sided normal quantile (1.96 at 95 %).

Differences: two NPS values are compared with a z-test on the difference of means using the
same standard errors; CSAT (top-2 share) and CES ("easy" share) use the two-proportion z-test
with a pooled proportion. Every function returns ``None`` instead of dividing by zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from scipy.stats import norm

CONFIDENCE = 0.95


@lru_cache(maxsize=16)
def z_value(confidence: float = CONFIDENCE) -> float:
    """Two-sided normal quantile: 1.959964… for 95 %."""
    return float(norm.ppf(1 - (1 - confidence) / 2))


def share(part: int, total: int) -> float | None:
    """part / total, or None when there is nothing to divide by."""
    return part / total if total else None


@dataclass(frozen=True)
class NpsScore:
    score: float
    margin: float
    n: int
    promoters: int
    detractors: int

    @property
    def standard_error(self) -> float:
        return nps_standard_error(self.promoters, self.detractors, self.n) or 0.0


def nps_standard_error(promoters: int, detractors: int, n: int) -> float | None:
    """Standard error of the NPS (on the −100…100 scale); None without responses."""
    if n <= 0:
        return None
    p, d = promoters / n, detractors / n
    variance = max(p + d - (p - d) ** 2, 0.0)  # guards tiny negative rounding
    return math.sqrt(variance / n) * 100


def nps_with_margin(
    promoters: int, detractors: int, n: int, confidence: float = CONFIDENCE
) -> NpsScore | None:
    """NPS = %promoters − %detractors, with its margin of error; None without responses."""
    se = nps_standard_error(promoters, detractors, n)
    if se is None:
        return None
    score = (promoters - detractors) / n * 100
    return NpsScore(score, z_value(confidence) * se, n, promoters, detractors)


@dataclass(frozen=True)
class ProportionScore:
    """A share (e.g. CSAT top-2, CES "easy") with its mean score and normal-approximation MoE."""

    percent: float
    margin: float
    mean: float
    n: int
    hits: int


def proportion_with_margin(
    hits: int, n: int, total: int, confidence: float = CONFIDENCE
) -> ProportionScore | None:
    """Share of ``hits`` in ``n`` (as %), its MoE and the mean score ``total / n``."""
    if n <= 0:
        return None
    p = hits / n
    margin = z_value(confidence) * math.sqrt(p * (1 - p) / n) * 100
    return ProportionScore(p * 100, margin, total / n, n, hits)


@dataclass(frozen=True)
class Difference:
    delta: float
    z: float | None
    p_value: float | None
    significant: bool


def _difference(delta: float, se: float, confidence: float) -> Difference:
    if se <= 0:
        return Difference(delta, None, None, False)
    z = delta / se
    p_value = math.erfc(abs(z) / math.sqrt(2))  # two-sided normal p-value, = 2·sf(|z|)
    return Difference(delta, z, p_value, p_value < 1 - confidence)


def nps_difference(
    current: NpsScore | None, previous: NpsScore | None, confidence: float = CONFIDENCE
) -> Difference | None:
    """z-test of current − previous NPS; None when either side has no data."""
    if current is None or previous is None:
        return None
    se = math.hypot(current.standard_error, previous.standard_error)
    return _difference(current.score - previous.score, se, confidence)


def proportion_difference(
    current: ProportionScore | None,
    previous: ProportionScore | None,
    confidence: float = CONFIDENCE,
) -> Difference | None:
    """Two-proportion z-test (pooled) of current − previous share, in percentage points."""
    if current is None or previous is None:
        return None
    pooled = (current.hits + previous.hits) / (current.n + previous.n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / current.n + 1 / previous.n)) * 100
    return _difference(current.percent - previous.percent, se, confidence)


def nps_reference_standard_error(score: float, n: int) -> float | None:
    """The largest standard error an NPS of ``score`` from ``n`` answers can have.

    A published NPS rarely comes with its shares of promoters and detractors. For a given
    score s = p − d the variance ``p + d − s²`` is largest with no passives (p + d = 1), so
    ``sqrt((1 − s²) / n)`` never understates the uncertainty: a test built on it is
    conservative. None without a base.
    """
    if n <= 0:
        return None
    s = max(min(score / 100, 1.0), -1.0)
    return math.sqrt((1 - s * s) / n) * 100


def proportion_standard_error(percent: float, n: int) -> float | None:
    """Standard error of a share given as a percentage of ``n`` answers; None without a base."""
    if n <= 0:
        return None
    p = max(min(percent / 100, 1.0), 0.0)
    return math.sqrt(p * (1 - p) / n) * 100


def estimates_difference(
    value: float, se: float, reference: float, reference_se: float, confidence: float = CONFIDENCE
) -> Difference:
    """z-test of ``value − reference`` for two independent estimates with their standard errors
    (a company's figure against a published one, or one cut against the rest)."""
    return _difference(value - reference, math.hypot(se, reference_se), confidence)


MIN_CORRELATION_N = 4  # with three points the interval spans nearly everything


@dataclass(frozen=True)
class Correlation:
    """Pearson's r of n pairs with its confidence interval (Fisher's z)."""

    r: float
    low: float
    high: float
    n: int


def pearson_with_interval(
    xs: list[float], ys: list[float], confidence: float = CONFIDENCE
) -> Correlation | None:
    """r with the interval ``tanh(atanh(r) ± z / sqrt(n − 3))``; None with fewer than
    :data:`MIN_CORRELATION_N` pairs or when either variable does not vary."""
    n = len(xs)
    if n != len(ys) or n < MIN_CORRELATION_N:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx, syy = sum(d * d for d in dx), sum(d * d for d in dy)
    if sxx <= 0 or syy <= 0:
        return None
    r = max(-1.0, min(1.0, sum(a * b for a, b in zip(dx, dy, strict=True)) / math.sqrt(sxx * syy)))
    if abs(r) == 1.0:
        return Correlation(r, r, r, n)
    centre, half = math.atanh(r), z_value(confidence) / math.sqrt(n - 3)
    return Correlation(r, math.tanh(centre - half), math.tanh(centre + half), n)
