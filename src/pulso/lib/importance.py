"""Relative importance of correlated drivers (Johnson's relative weights) with bootstrap intervals.

Relative weights (Johnson 2000) split a regression's R² among correlated predictors: the
predictors are replaced by their closest orthogonal counterparts Z (through the symmetric
square root Λ of their correlation matrix R = Λ²), the outcome is regressed on Z (β = Λ⁻¹ r),
and each predictor receives ``ε_j = Σ_k Λ_jk² β_k²``. The weights are non-negative, sum to R²
and are computed from the correlation matrix alone, so they need only sufficient statistics.

Bootstrap on sufficient statistics: the rows are dealt into K chunks (row i to chunk i mod K)
and each chunk keeps its count, column sums and cross-products. A replicate draws K chunks with
replacement and adds their statistics, which resamples rows in blocks of n/K: with rows in
random order (or dealt round-robin over time) the chunks are exchangeable and the replicates
have the spread of a row bootstrap, at a cost independent of the number of rows. With n ≤ K
every chunk is one row and this is the ordinary bootstrap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

CHUNKS = 500
REPLICATES = 200
CONFIDENCE = 0.95
# Eigenvalues below this (relative to the largest) belong to redundant drivers: clipped.
EIGEN_FLOOR = 1e-10


@dataclass(frozen=True)
class Moments:
    """Per-chunk sufficient statistics of the columns [drivers…, outcome] (centred)."""

    counts: Array  # (K,)
    sums: Array  # (K, q)
    cross: Array  # (K, q, q)

    @property
    def drivers(self) -> int:
        return int(self.sums.shape[1]) - 1


def chunk_moments(x: Array, y: Array, chunks: int = CHUNKS) -> Moments:
    """Count, sums and cross-products of each of ``chunks`` round-robin chunks of the rows."""
    data = np.column_stack([np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)])
    n, q = data.shape
    k = max(1, min(chunks, n))
    data -= data.mean(axis=0) if n else 0.0  # centring keeps the raw moments well conditioned
    counts = np.empty(k)
    sums = np.empty((k, q))
    cross = np.empty((k, q, q))
    for i in range(k):
        block = data[i::k]
        counts[i] = block.shape[0]
        sums[i] = block.sum(axis=0)
        cross[i] = block.T @ block
    return Moments(counts, sums, cross)


def correlations(counts: Array, sums: Array, cross: Array) -> Array:
    """Correlation matrices from totals: counts (…), sums (…, q), cross (…, q, q).

    A column without variance correlates 0 with every other (its driver then gets weight 0).
    """
    n = counts[..., None, None]
    mean_outer = sums[..., :, None] * sums[..., None, :] / np.maximum(n, 1.0)
    cov = (cross - mean_outer) / np.maximum(n - 1.0, 1.0)
    var = np.clip(np.diagonal(cov, axis1=-2, axis2=-1), 0.0, None)
    scale = np.sqrt(var)
    tiny = 1e-12 * np.maximum(scale.max(axis=-1, keepdims=True), 1.0)
    safe = np.where(scale > tiny, scale, np.inf)
    corr = cov / (safe[..., :, None] * safe[..., None, :])
    q = corr.shape[-1]
    corr[..., np.arange(q), np.arange(q)] = 1.0
    return corr


def relative_weights(corr: Array) -> Array:
    """Johnson's raw relative weights (…, p) from correlations (…, p+1, p+1), outcome last."""
    p = corr.shape[-1] - 1
    rxx, rxy = corr[..., :p, :p], corr[..., :p, p]
    values, vectors = np.linalg.eigh(rxx)
    floor = EIGEN_FLOOR * np.maximum(values[..., -1:], EIGEN_FLOOR)
    values = np.maximum(values, floor)
    root = (vectors * np.sqrt(values)[..., None, :]) @ np.swapaxes(vectors, -1, -2)
    inverse_root = (vectors / np.sqrt(values)[..., None, :]) @ np.swapaxes(vectors, -1, -2)
    beta = (inverse_root @ rxy[..., :, None])[..., 0]
    weights: Array = (root**2 @ (beta**2)[..., :, None])[..., 0]
    return weights


@dataclass(frozen=True)
class Importance:
    """Raw weights (share of the outcome's variance each driver explains) with intervals."""

    weights: Array  # (p,)
    low: Array
    high: Array
    r2: float
    r2_low: float
    r2_high: float
    n: int
    replicates: int
    share_low: Array  # interval of each driver's share of the explained variance
    share_high: Array

    @property
    def shares(self) -> Array:
        """Each driver's share of the explained variance (sums to 1)."""
        return self.weights / self.r2 if self.r2 > 0 else np.zeros_like(self.weights)

    def rank(self) -> list[int]:
        """Driver indexes from the most to the least important."""
        return [int(i) for i in np.argsort(-self.weights, kind="stable")]


def bootstrap_importance(
    moments: Moments,
    replicates: int = REPLICATES,
    confidence: float = CONFIDENCE,
    seed: int = 0,
) -> Importance:
    """Relative weights of all rows and percentile bootstrap intervals over resampled chunks."""
    k = moments.counts.shape[0]
    q = moments.sums.shape[1]
    point = relative_weights(
        correlations(moments.counts.sum(), moments.sums.sum(axis=0), moments.cross.sum(axis=0))
    )
    draws = np.random.default_rng(seed).multinomial(k, np.full(k, 1.0 / k), size=replicates)
    resampled = draws.astype(np.float64)
    corr = correlations(
        resampled @ moments.counts,
        resampled @ moments.sums,
        (resampled @ moments.cross.reshape(k, q * q)).reshape(replicates, q, q),
    )
    weights = relative_weights(corr)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(weights, [tail, 100 - tail], axis=0)
    totals = weights.sum(axis=1)
    r2_low, r2_high = np.percentile(totals, [tail, 100 - tail])
    shares = weights / np.where(totals > 0, totals, np.inf)[:, None]
    share_low, share_high = np.percentile(shares, [tail, 100 - tail], axis=0)
    return Importance(
        weights=point,
        low=low,
        high=high,
        r2=float(point.sum()),
        r2_low=float(r2_low),
        r2_high=float(r2_high),
        n=int(moments.counts.sum()),
        replicates=replicates,
        share_low=share_low,
        share_high=share_high,
    )


def population_weights(covariance: Array, coefficients: Array, noise_variance: float) -> Array:
    """Relative weights of y = X·b + e for X ~ (0, covariance), e ~ (0, noise_variance).

    The population value that simulations estimate (used to check the bootstrap's coverage).
    """
    cov_xy = covariance @ coefficients
    var_y = float(coefficients @ cov_xy) + noise_variance
    p = covariance.shape[0]
    joint = np.empty((p + 1, p + 1))
    joint[:p, :p], joint[:p, p], joint[p, :p], joint[p, p] = covariance, cov_xy, cov_xy, var_y
    scale = np.sqrt(np.diag(joint))
    return relative_weights(joint / np.outer(scale, scale))
