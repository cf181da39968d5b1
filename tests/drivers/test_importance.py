"""Relative weights recover known drivers; the chunk bootstrap's intervals cover the truth."""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pytest

from pulso.lib.importance import (
    bootstrap_importance,
    chunk_moments,
    population_weights,
)


def _correlated(p: int, rho: float) -> np.ndarray:
    """Drivers correlated by rho^|i-j| (neighbours strongly, far ones less)."""
    index = np.arange(p)
    return rho ** np.abs(index[:, None] - index[None, :])


def _sample(rng: np.random.Generator, cov: np.ndarray, b: np.ndarray, n: int, noise: float):
    x = rng.standard_normal((n, len(b))) @ np.linalg.cholesky(cov).T
    return x, x @ b + rng.standard_normal(n) * noise


def _r2(x: np.ndarray, y: np.ndarray) -> float:
    design = np.column_stack([np.ones(len(y)), x])
    fitted = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    return float(1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum())


def _shapley(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shapley-value regression by brute force over every subset of drivers."""
    p = x.shape[1]
    r2: dict[tuple[int, ...], float] = {(): 0.0}
    for size in range(1, p + 1):
        for subset in combinations(range(p), size):
            r2[subset] = _r2(x[:, subset], y)
    values = np.zeros(p)
    for j in range(p):
        others = [i for i in range(p) if i != j]
        for size in range(p):
            weight = factorial(size) * factorial(p - size - 1) / factorial(p)
            for subset in combinations(others, size):
                values[j] += weight * (r2[tuple(sorted((*subset, j)))] - r2[subset])
    return values


def test_recovers_the_true_order_of_correlated_drivers() -> None:
    rng = np.random.default_rng(2026)
    cov = np.full((6, 6), 0.5) + 0.5 * np.eye(6)  # every pair of drivers correlated 0.5
    b = np.array([0.15, 0.5, 0.05, 0.35, 0.25, 0.0])  # true order: 1, 3, 4, 0, 2, 5
    truth = population_weights(cov, b, noise_variance=1.0)
    assert list(np.argsort(-truth)) == [1, 3, 4, 0, 2, 5]

    x, y = _sample(rng, cov, b, 20_000, noise=1.0)
    found = bootstrap_importance(chunk_moments(x, y))

    assert found.rank() == [1, 3, 4, 0, 2, 5]
    # A driver with no effect of its own still gets some weight through its correlation with
    # the others (it predicts y on its own), but the least of all.
    assert found.weights[5] == found.weights.min() > 0
    # The most important driver's interval lies above the second's.
    assert found.low[1] > found.high[3]


def test_weights_sum_to_r2_and_match_shapley_regression() -> None:
    rng = np.random.default_rng(11)
    cov = _correlated(5, 0.5)
    x, y = _sample(rng, cov, np.array([0.4, 0.1, 0.3, 0.0, 0.2]), 3_000, noise=0.8)
    found = bootstrap_importance(chunk_moments(x, y, chunks=100), replicates=50)

    assert found.r2 == pytest.approx(_r2(x, y), abs=1e-9)
    assert found.r2_low <= found.r2 <= found.r2_high
    assert np.allclose(found.weights, _shapley(x, y), atol=0.01)
    assert found.shares.sum() == pytest.approx(1.0)


def test_uncorrelated_drivers_get_their_squared_correlation() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4_000, 3))
    x -= x.mean(axis=0)
    # Exactly uncorrelated columns (orthogonalised), so weights equal squared correlations.
    x = np.linalg.qr(x)[0] * np.sqrt(4_000)
    y = x @ np.array([1.0, 0.5, 0.2]) + rng.standard_normal(4_000)
    found = bootstrap_importance(chunk_moments(x, y), replicates=20)
    r = np.corrcoef(np.column_stack([x, y]).T)[-1, :3]
    assert np.allclose(found.weights, r**2, atol=1e-9)


def test_a_driver_without_variance_gets_no_weight() -> None:
    rng = np.random.default_rng(5)
    x = np.column_stack([rng.standard_normal(300), np.ones(300), rng.standard_normal(300)])
    y = x[:, 0] + rng.standard_normal(300)
    found = bootstrap_importance(chunk_moments(x, y), replicates=30)
    assert found.weights[1] == 0.0
    assert found.weights[0] > 0.3
    assert found.n == 300


def test_bootstrap_intervals_cover_the_population_weights() -> None:
    """Nominal 95 % intervals hold the true weights in at least ~90 % of repeated samples."""
    rng = np.random.default_rng(20261202)
    cov = _correlated(4, 0.5)
    b = np.array([0.6, 0.4, 0.25, 0.15])
    truth = population_weights(cov, b, noise_variance=1.0)
    simulations, hits, r2_hits = 150, np.zeros(4), 0
    true_r2 = truth.sum()
    for seed in range(simulations):
        x, y = _sample(rng, cov, b, 1_000, noise=1.0)
        found = bootstrap_importance(chunk_moments(x, y, chunks=200), replicates=200, seed=seed)
        hits += (found.low <= truth) & (truth <= found.high)
        r2_hits += found.r2_low <= true_r2 <= found.r2_high
    coverage = hits / simulations
    assert coverage.min() >= 0.88, coverage
    assert coverage.mean() >= 0.90, coverage
    assert r2_hits / simulations >= 0.88
