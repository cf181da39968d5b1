"""Simulated daily NPS counts of a chain of stores: overdispersed volumes, weekly seasonality."""

from __future__ import annotations

import numpy as np

from pulso.lib.drops import DailyCounts

# Monday … Sunday: volume factors and NPS shifts (points) of a high-street store.
WEEKDAY_VOLUME = np.array([0.8, 0.85, 0.9, 1.0, 1.2, 1.6, 0.65])
WEEKDAY_NPS = np.array([-3.0, 0.0, 0.0, 1.0, 2.0, -2.0, 2.0])


def simulate(
    seed: int,
    stores: int = 6,
    days: int = 365 + 70,
    daily_volume: float = 300.0,
    size: float = 5.0,
    drop: tuple[int, int, float] | None = None,
) -> DailyCounts:
    """Counts per store and day; ``drop`` = (store, first day, NPS points) lowers one week.

    Volumes are negative binomial (variance ``mu + mu²/size``), each day's NPS also wobbles
    by a couple of points beyond sampling chance, and each store has its own level.
    """
    rng = np.random.default_rng(seed)
    weekday = np.arange(days) % 7
    mu = daily_volume * rng.uniform(0.8, 1.2, size=(stores, 1)) * WEEKDAY_VOLUME[weekday]
    answered = rng.negative_binomial(size, size / (size + mu)).astype(float)
    nps = rng.uniform(15, 45, size=(stores, 1)) + WEEKDAY_NPS[weekday]
    nps = nps + rng.normal(0, 2.0, size=(stores, days))
    if drop is not None:
        store, first, points = drop
        nps[store, first : first + 7] -= points
    passive = 0.25
    promoter_share = np.clip((1 - passive + nps / 100) / 2, 0, 1 - passive)
    detractor_share = 1 - passive - promoter_share
    promoters = rng.binomial(answered.astype(int), promoter_share).astype(float)
    rest = answered - promoters
    detractors = rng.binomial(rest.astype(int), detractor_share / (1 - promoter_share))
    return DailyCounts(promoters, detractors.astype(float), answered)
