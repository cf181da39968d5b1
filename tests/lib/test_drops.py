"""Drop alerts over seeded simulations: few false alarms without change, a real drop found fast."""

from __future__ import annotations

import numpy as np

from pulso.lib.drops import DailyCounts, find_drops
from tests.lib.simulated_feedback import simulate

SIMULATIONS = 20
WARM_UP = 70  # days of history before the simulated year starts (the baseline's 8 weeks)
YEAR = 365
STORES = 6
MIN_N = 30


def _in_year(counts: DailyCounts) -> list[int]:
    return [drop.day for drop in find_drops(counts, MIN_N) if drop.day >= WARM_UP]


def test_a_year_without_change_raises_at_most_one_alert_a_month_company_wide() -> None:
    alerts = [len(_in_year(simulate(seed, stores=STORES))) for seed in range(SIMULATIONS)]
    per_30_days = float(np.mean(alerts)) / YEAR * 30
    assert per_30_days <= 1.0, alerts


def test_a_drop_of_15_points_for_a_week_fires_within_two_days_in_19_of_20() -> None:
    found = 0
    for seed in range(SIMULATIONS):
        rng = np.random.default_rng(10_000 + seed)
        store, first = int(rng.integers(STORES)), int(rng.integers(WARM_UP, WARM_UP + YEAR - 7))
        counts = simulate(100 + seed, stores=STORES, drop=(store, first, 15.0))
        drops = find_drops(counts, MIN_N)
        found += any(d.unit == store and first <= d.day <= first + 2 for d in drops)
    assert found >= 19, found


def test_the_drop_reports_both_periods() -> None:
    counts = simulate(7, stores=2, drop=(1, 200, 30.0))
    drop = next(d for d in find_drops(counts, MIN_N) if d.unit == 1 and d.day >= 200)
    assert drop.day <= 202
    assert drop.nps_before - drop.nps_now > 10
    assert drop.n_now >= MIN_N and drop.n_before >= MIN_N
    assert drop.p_value < 0.001


def test_low_bases_never_alert() -> None:
    counts = simulate(3, stores=3, daily_volume=2.0, drop=(0, 150, 60.0))
    assert find_drops(counts, min_n=30) == []


def test_no_history_no_alert() -> None:
    zeros = np.zeros((2, 40))
    assert find_drops(DailyCounts(zeros, zeros, zeros), MIN_N) == []
