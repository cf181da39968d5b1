"""Significant NPS drops in daily counts, with a false-alarm rate that holds on real data.

For each unit and day ``t`` the last ``L`` days (L in ``WINDOWS``) are compared with the *same
weekdays* of the previous ``BASELINE_WEEKS`` weeks, so weekly seasonality (busy Saturdays,
grumpier Mondays) cancels out. Daily volumes are overdispersed (negative binomial, not Poisson)
and days differ by more than chance, so the multinomial variance of the NPS is inflated by a
dispersion factor estimated from how much the baseline weeks differ from each other
(quasi-likelihood, never below 1). Both the window and the baseline must reach the low-base
threshold. A drop is reported when the one-sided p-value of the largest z over the windows is
below ``ALPHA``; a unit that fired stays quiet for ``COOLDOWN_DAYS``.

Everything is plain numpy over arrays shaped (units, days), so a year of many units is scanned
in milliseconds; the database side only reads daily counts into these arrays.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import norm

WINDOWS = (2, 3, 7)
BASELINE_WEEKS = 8
ALPHA = 0.001
COOLDOWN_DAYS = 7

Counts = NDArray[np.float64]


@dataclass(frozen=True)
class DailyCounts:
    """Promoters, detractors and NPS answers per unit (rows) and day (columns)."""

    promoters: Counts
    detractors: Counts
    answered: Counts


@dataclass(frozen=True)
class Drop:
    unit: int  # row index in the counts
    day: int  # column index of the last day of the window
    window: int  # days in the window
    nps_now: float
    nps_before: float
    n_now: int
    n_before: int
    p_value: float


def _window_sums(values: Counts, length: int) -> Counts:
    """Sum of the ``length`` days ending at each day (NaN before enough history)."""
    cumulative = np.cumsum(values, axis=1)
    out = np.full(values.shape, np.nan)
    out[:, length - 1] = cumulative[:, length - 1]
    out[:, length:] = cumulative[:, length:] - cumulative[:, :-length]
    return out


def _shifted(values: Counts, days: int) -> Counts:
    out = np.full(values.shape, np.nan)
    out[:, days:] = values[:, :-days]
    return out


def _nps_and_variance(p: Counts, d: Counts, n: Counts) -> tuple[Counts, Counts]:
    """NPS in units of 1 and the per-answer variance ``p + d - (p - d)^2``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (p - d) / n
        variance = (p + d) / n - score**2
    return score, variance


def window_z(counts: DailyCounts, length: int, weeks: int, min_n: int) -> dict[str, Counts]:
    """z of (window − baseline) for every unit and day, with the figures behind it."""
    sums = [_window_sums(a, length) for a in (counts.promoters, counts.detractors, counts.answered)]
    weekly = [[_shifted(s, 7 * k) for k in range(1, weeks + 1)] for s in sums]
    base_p, base_d, base_n = (np.sum(w, axis=0) for w in weekly)
    now_score, now_var = _nps_and_variance(*sums)
    base_score, base_var = _nps_and_variance(base_p, base_d, base_n)
    phi = _dispersion(weekly, base_score, base_var, weeks)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(phi * (base_var / sums[2] + base_var / base_n))
        z = (base_score - now_score) / se
    enough = (sums[2] >= min_n) & (base_n >= min_n) & (base_var > 0)
    z = np.where(enough, z, np.nan)
    return {"z": z, "now": now_score, "before": base_score, "n_now": sums[2], "n_before": base_n}


def _dispersion(weekly: list[list[Counts]], base: Counts, var: Counts, weeks: int) -> Counts:
    """How much more the baseline weeks differ than multinomial chance allows (at least 1)."""
    spread = np.zeros(base.shape)
    for p, d, n in zip(*weekly, strict=True):
        with np.errstate(invalid="ignore", divide="ignore"):
            spread += np.nan_to_num(n * ((p - d) / n - base) ** 2 / var)
    # Pooled over the units (7 × units degrees of freedom): one noisy unit's weeks would
    # otherwise swing its own threshold; a unit whose days really vary more still raises it.
    own = spread / (weeks - 1)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a day no unit has data for
        pooled = np.nanmean(np.where(np.isfinite(base), own, np.nan), axis=0, keepdims=True)
    return np.maximum(np.fmax(pooled, own / 2), 1.0)


def find_drops(
    counts: DailyCounts,
    min_n: int,
    alpha: float = ALPHA,
    windows: tuple[int, ...] = WINDOWS,
    weeks: int = BASELINE_WEEKS,
    cooldown: int = COOLDOWN_DAYS,
) -> list[Drop]:
    """Every significant drop, at most one per unit per ``cooldown`` days, oldest first."""
    results = {length: window_z(counts, length, weeks, min_n) for length in windows}
    stacked = np.stack([np.nan_to_num(r["z"], nan=-np.inf) for r in results.values()])
    best = np.argmax(stacked, axis=0)
    z = np.max(stacked, axis=0)
    threshold = float(norm.isf(alpha))
    drops: list[Drop] = []
    for unit in range(z.shape[0]):
        quiet_until = -1
        for day in np.flatnonzero(z[unit] > threshold):
            if day <= quiet_until:
                continue
            length = windows[best[unit, day]]
            drops.append(_drop(results[length], unit, int(day), length))
            quiet_until = int(day) + cooldown - 1
    return drops


def _drop(result: dict[str, Counts], unit: int, day: int, length: int) -> Drop:
    return Drop(
        unit=unit,
        day=day,
        window=length,
        nps_now=round(float(result["now"][unit, day]) * 100, 1),
        nps_before=round(float(result["before"][unit, day]) * 100, 1),
        n_now=int(result["n_now"][unit, day]),
        n_before=int(result["n_before"][unit, day]),
        p_value=float(norm.sf(result["z"][unit, day])),
    )
