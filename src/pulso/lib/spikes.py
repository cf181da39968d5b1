"""Crisis spikes in daily counts (negative comments per unit and topic, contacts per channel).

A series' count of day ``t`` is compared with what its previous ``BASELINE_WEEKS`` weeks
predict given the day's *exposure*: the rest of the unit's comments that day for a topic, the
other channels' feedback for a channel. The exposure carries the weekly seasonality (busy
Saturdays), the trend and the store's busy or quiet days, so they cancel out; what is left is
the series' share of it (a small exposure is shrunk towards its weekday's usual one).

Counts still vary more than Poisson chance, so the day's count is judged against a negative
binomial whose dispersion is estimated from the baseline's days, pooled over the series (a
series' own estimate may only raise it); the uncertainty of the baseline's own rate (few
counts, wide) is added to it. The one-sided upper tail is tested at a Šidák level chosen so
that, over everything scanned in a day, no more than ``FALSE_ALARMS_PER_DAY`` false alarms are
expected company-wide. A spike also needs ``MIN_COUNT`` comments (two complaints where there
were none is not a crisis), and a series that fired stays quiet for ``COOLDOWN_DAYS``.

Plain numpy/scipy over arrays shaped (series, days); the database side only fills them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import nbinom

BASELINE_WEEKS = 8
# Half the "one false alarm per 30 days" the CX team accepts: the model of real counts is
# never exact, and the NPS-drop alerts spend their own share.
FALSE_ALARMS_PER_DAY = 0.5 / 30
MIN_COUNT = 3
COOLDOWN_DAYS = 7
# Weight (in squared expected counts) of the pooled dispersion against a series' own.
DISPERSION_PRIOR = 10_000.0
# Exposure at which a day's own exposure weighs as much as its weekday's usual one.
EXPOSURE_PRIOR = 10.0

Counts = NDArray[np.float64]


@dataclass(frozen=True)
class Spike:
    series: int  # row index in the counts
    day: int  # column index
    count: int
    expected: float
    p_value: float


def _sums(values: Counts, length: int, before: bool = False) -> Counts:
    """Sum of the ``length`` days ending at each day, or just before it (NaN without history)."""
    cumulative = np.concatenate([np.zeros((values.shape[0], 1)), np.cumsum(values, axis=1)], 1)
    end = 0 if before else 1
    days = np.arange(length - end, values.shape[1])
    out = np.full(values.shape, np.nan)
    out[:, days] = cumulative[:, days + end] - cumulative[:, days + end - length]
    return out


def effective_exposure(exposure: Counts, weeks: int = BASELINE_WEEKS) -> Counts:
    """The day's exposure, shrunk towards the same weekdays' usual one when it is small.

    A store with two comments a day tells little about its day from them (one comment about
    the topic and none else does not mean the store was empty); a store with two hundred does.
    """
    usual = np.stack([_lagged(exposure, 7 * k) for k in range(1, weeks + 1)]).mean(axis=0)
    usual = usual + 0.5 / weeks
    with np.errstate(invalid="ignore"):
        shrunk = usual * (exposure + EXPOSURE_PRIOR) / (usual + EXPOSURE_PRIOR)
    return np.where(np.isfinite(usual), shrunk, exposure)


def _lagged(values: Counts, days: int) -> Counts:
    out = np.full(values.shape, np.nan)
    out[:, days:] = values[:, :-days]
    return out


def expected_counts(
    counts: Counts, exposure: Counts, weeks: int = BASELINE_WEEKS
) -> tuple[Counts, Counts]:
    """Expected count of every series and day, and the baseline's total count behind it."""
    total = _sums(counts, 7 * weeks, before=True)
    exposed = _sums(exposure, 7 * weeks, before=True)
    # Half a count keeps a series that was silent for eight weeks from expecting exactly zero.
    return (total + 0.5) / (exposed + 1.0) * exposure, total


def dispersion(counts: Counts, exposure: Counts, weeks: int = BASELINE_WEEKS) -> Counts:
    """Negative binomial ``1/size`` per series and day, from the baseline's days."""
    days = 7 * weeks
    x, e = counts, exposure
    sx, se = _sums(x, days, before=True), _sums(e, days, before=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(se > 0, sx / se, 0.0)
    # Σ(x − rate·e)² expanded into running sums; Poisson chance accounts for rate·Σe of it.
    squares = (
        _sums(x * x, days, before=True)
        - 2 * rate * _sums(x * e, days, before=True)
        + rate**2 * _sums(e * e, days, before=True)
    )
    excess = np.nan_to_num(squares * days / (days - 1) - rate * se)
    scale = np.nan_to_num(rate**2 * _sums(e * e, days, before=True))
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.nan_to_num(np.maximum(excess.sum(axis=0) / scale.sum(axis=0), 0.0))
    # A series' own estimate from 56 days is noisy (trusting it, dense series alarmed four
    # times too often in simulations): it may raise the pooled one, never lower it.
    own = (excess + DISPERSION_PRIOR * pooled) / (scale + DISPERSION_PRIOR)
    return np.fmax(own, pooled)


def level_per_test(scanned: int, false_alarms_per_day: float = FALSE_ALARMS_PER_DAY) -> float:
    """Šidák level for ``scanned`` tests a day with the given expected false alarms a day."""
    return float(-np.expm1(np.log1p(-false_alarms_per_day) / max(scanned, 1)))


def upper_tail(
    counts: Counts, exposure: Counts, weeks: int = BASELINE_WEEKS
) -> tuple[Counts, Counts]:
    """P(a count at least this high | no change) for every series and day, and the expected."""
    expected, total = expected_counts(counts, exposure, weeks)
    # The baseline's rate is itself uncertain (a gamma with its total count as shape).
    size_inverse = dispersion(counts, exposure, weeks) + 1.0 / (total + 1.0)
    size = 1.0 / np.maximum(size_inverse, 1e-9)
    with np.errstate(invalid="ignore"):
        p = nbinom.sf(counts - 1, size, size / (size + expected))
    return np.where(np.isfinite(total), p, np.nan), expected


def find_spikes(
    counts: Counts,
    exposure: Counts,
    scanned: int | None = None,
    false_alarms_per_day: float = FALSE_ALARMS_PER_DAY,
    min_count: int = MIN_COUNT,
    cooldown: int = COOLDOWN_DAYS,
    weeks: int = BASELINE_WEEKS,
) -> list[Spike]:
    """Every spike, at most one per series per ``cooldown`` days, oldest first.

    ``exposure`` is shaped like ``counts``. ``scanned`` is how many series share the day's
    false-alarm budget (the series of every call the job makes that day); by default the rows
    of ``counts``.
    """
    p, expected = upper_tail(counts, effective_exposure(exposure, weeks), weeks)
    level = level_per_test(scanned or counts.shape[0], false_alarms_per_day)
    firing = (np.nan_to_num(p, nan=1.0) < level) & (counts >= min_count)
    spikes: list[Spike] = []
    for series in range(counts.shape[0]):
        quiet_until = -1
        for day in np.flatnonzero(firing[series]):
            if day <= quiet_until:
                continue
            spikes.append(
                Spike(
                    series=series,
                    day=int(day),
                    count=int(counts[series, day]),
                    expected=round(float(expected[series, day]), 2),
                    p_value=float(p[series, day]),
                )
            )
            quiet_until = int(day) + cooldown - 1
    spikes.sort(key=lambda s: (s.day, s.series))
    return spikes
