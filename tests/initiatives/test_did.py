"""The difference-in-differences estimator on simulated pilots with a known effect."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from threadpoolctl import threadpool_limits

from pulso.lib.did import NotEnoughData, Observation, estimate
from tests.initiatives.simulation import simulate_pilot

SEEDS = range(1000)  # deterministic; 1,000 pilots keep the sampling error of a rate near 0.7 points


@pytest.fixture(autouse=True)
def _one_blas_thread() -> Iterator[None]:
    # Hundreds of tiny regressions: BLAS threads only contend on a shared machine.
    with threadpool_limits(limits=1):
        yield


def test_interval_covers_a_known_effect_in_93_to_97_percent_of_pilots() -> None:
    estimates = [estimate(simulate_pilot(seed, effect=8.0)) for seed in SEEDS]
    coverage = sum(e.covers(8.0) for e in estimates) / len(estimates)
    assert 0.93 <= coverage <= 0.97, coverage
    assert all(e.clusters == 20 and e.treated_units == 10 for e in estimates)
    # The estimator is unbiased: the mean estimate is close to the true effect.
    mean = sum(e.effect for e in estimates) / len(estimates)
    assert abs(mean - 8.0) < 1.5, mean


def test_a_zero_effect_is_called_significant_in_at_most_7_percent() -> None:
    estimates = [estimate(simulate_pilot(seed, effect=0.0)) for seed in SEEDS]
    false_positives = sum(e.significant for e in estimates) / len(estimates)
    assert false_positives <= 0.07, false_positives
    assert sum(e.covers(0.0) for e in estimates) / len(estimates) >= 0.93


def test_a_large_effect_is_found() -> None:
    estimates = [estimate(simulate_pilot(seed, effect=30.0)) for seed in range(50)]
    assert sum(e.significant and e.effect > 0 for e in estimates) >= 45


def test_clustering_widens_the_interval_over_unit_noise() -> None:
    quiet = estimate(simulate_pilot(1, effect=0.0, unit_shock=0.0))
    noisy = estimate(simulate_pilot(1, effect=0.0, unit_shock=0.15))
    assert noisy.high - noisy.low > quiet.high - quiet.low


def test_units_without_both_periods_are_left_out_and_too_few_refused() -> None:
    observations = simulate_pilot(2, effect=0.0, treated_units=2, control_units=2)
    only_before = [Observation(99, True, False, 100.0)]
    result = estimate(observations + only_before)
    assert result.clusters == 4 and result.n == len(observations)
    one_control = [o for o in observations if o.treated or o.unit == 2]
    with pytest.raises(NotEnoughData):
        estimate(one_control)
    with pytest.raises(NotEnoughData):
        estimate([])
