"""Groups of similar rows (customers) with the number of groups chosen from the data.

K-means over a feature table (attributes, scores, touchpoints used…) whose columns are
standardised, one-hot columns included; the number of groups is the one with the best
silhouette within a range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

# Silhouette is quadratic in the rows: it is measured on a fixed sample of this size.
SILHOUETTE_SAMPLE = 3_000


class TooFewRows(ValueError):
    """Raised when there are too few different rows to form ``k_min`` groups."""


@dataclass(frozen=True)
class Grouping:
    labels: NDArray[np.int_]  # group of each row, 0…k-1, largest group first
    k: int
    silhouette: float
    centres: NDArray[np.float64]  # in the weighted, standardised space
    scaled: NDArray[np.float64]  # the rows in that space


def standardise_blocks(blocks: Sequence[NDArray[np.float64]]) -> NDArray[np.float64]:
    """The blocks side by side, each column to mean 0 and unit variance (constant ones to 0)."""
    columns = [np.asarray(b, dtype=float).reshape(len(b), -1) for b in blocks]
    x = np.hstack([c for c in columns if c.shape[1]])
    std = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)


def _fit(x: NDArray[np.float64], k: int, seed: int) -> KMeans:
    return KMeans(n_clusters=k, n_init=4, random_state=seed).fit(x)


def _silhouette(x: NDArray[np.float64], labels: NDArray[np.int_], seed: int) -> float:
    sample = min(len(x), SILHOUETTE_SAMPLE)
    return float(silhouette_score(x, labels, sample_size=sample, random_state=seed))


def _by_size(
    labels: NDArray[np.int_], centres: NDArray[np.float64]
) -> tuple[NDArray[np.int_], NDArray[np.float64]]:
    order = np.argsort(-np.bincount(labels, minlength=len(centres)), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[labels], centres[order]


def find_groups(x: NDArray[np.float64], k_min: int = 2, k_max: int = 8, seed: int = 0) -> Grouping:
    """K-means for every k in [k_min, k_max] (capped by the rows), keeping the best silhouette."""
    x = np.asarray(x, dtype=float)
    distinct = len(np.unique(x, axis=0))
    k_max = min(k_max, distinct, len(x) - 1)
    if k_max < k_min:
        raise TooFewRows(distinct)
    best: tuple[float, KMeans] | None = None
    for k in range(k_min, k_max + 1):
        model = _fit(x, k, seed)
        score = _silhouette(x, model.labels_, seed)
        if best is None or score > best[0]:
            best = (score, model)
    assert best is not None
    labels, centres = _by_size(best[1].labels_, best[1].cluster_centers_)
    return Grouping(labels, len(centres), best[0], centres, x)


def nearest_rows(grouping: Grouping, group: int, count: int) -> list[int]:
    """Indexes of the ``count`` rows of ``group`` closest to its centre (its typical members)."""
    members = np.flatnonzero(grouping.labels == group)
    distances = np.linalg.norm(grouping.scaled[members] - grouping.centres[group], axis=1)
    return [int(i) for i in members[np.argsort(distances, kind="stable")[:count]]]
