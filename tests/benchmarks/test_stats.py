"""The statistics of benchmarks against values computed by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest

from pulso.benchmarks.comparisons import compare, minus
from pulso.lib import stats
from pulso.metrics.metrics import Totals


def test_reference_nps_standard_error_assumes_no_passives() -> None:
    # s = 0.2: sqrt((1 - 0.04) / 100) = 0.09798 -> 9.798 points
    assert stats.nps_reference_standard_error(20, 100) == pytest.approx(9.798, abs=1e-3)
    # an NPS of +-100 leaves no room for variance; no base, no error
    assert stats.nps_reference_standard_error(100, 50) == 0
    assert stats.nps_reference_standard_error(20, 0) is None


def test_it_is_never_below_the_error_of_any_split_of_the_same_score() -> None:
    # NPS 20 from 100 answers as 40 promoters, 20 detractors (40 passives): sqrt(.56/100)
    actual = stats.nps_standard_error(40, 20, 100)
    assert actual == pytest.approx(7.483, abs=1e-3)
    assert stats.nps_reference_standard_error(20, 100) > actual  # type: ignore[operator]


def test_proportion_standard_error() -> None:
    # 80 % of 100: sqrt(.8 * .2 / 100) = .04 -> 4 points
    assert stats.proportion_standard_error(80, 100) == pytest.approx(4.0)
    assert stats.proportion_standard_error(80, 0) is None


def test_difference_of_two_estimates() -> None:
    # 40 ± se 3 against 30 ± se 4: delta 10, se 5, z 2, two-sided p = 0.0455
    found = stats.estimates_difference(40, 3, 30, 4)
    assert found.delta == 10
    assert found.z == pytest.approx(2.0)
    assert found.p_value == pytest.approx(0.0455, abs=1e-4)
    assert found.significant
    assert not stats.estimates_difference(40, 6, 30, 8).significant  # z = 1


def nps_totals(promoters: int, passives: int, detractors: int) -> Totals:
    n = promoters + passives + detractors
    return Totals(n=n, nps_n=n, promoters=promoters, detractors=detractors)


def test_a_cut_is_tested_against_the_rest_not_against_the_total() -> None:
    cut = nps_totals(30, 10, 10)  # NPS 40, variance .6 + .2 - .16 = .64
    rest = nps_totals(15, 20, 15)  # NPS 0, variance .6
    scope = cut + rest  # NPS 20
    row = compare("nps", "a", "A", cut, scope)
    assert row.value.value == pytest.approx(40)
    assert row.rest.value == pytest.approx(0)
    assert row.scope.value == pytest.approx(20)
    assert row.gap == pytest.approx(20)  # shown against the whole scope
    se = math.sqrt(0.64 / 50 + 0.6 / 50) * 100  # = 15.748
    assert row.test is not None
    assert row.test.delta == pytest.approx(40)  # tested against the rest
    assert row.test.z == pytest.approx(40 / se)
    assert row.test.p_value == pytest.approx(0.0111, abs=1e-4)
    assert row.significant
    assert minus(scope, cut) == rest


def test_margin_is_the_dashboards_one() -> None:
    row = compare("nps", "a", "A", nps_totals(30, 10, 10), nps_totals(60, 30, 30))
    assert row.value.margin == pytest.approx(1.959964 * math.sqrt(0.64 / 50) * 100, abs=1e-3)
    assert row.interval == pytest.approx((40 - row.value.margin, 40 + row.value.margin))


def test_low_base_is_never_significant(settings: Any) -> None:
    settings.PULSO_LOW_BASE_N = 30
    cut = nps_totals(10, 0, 0)  # NPS 100 from 10 answers
    rest = nps_totals(0, 0, 100)  # NPS -100
    row = compare("nps", "a", "A", cut, cut + rest)
    assert row.value.low_base
    assert row.test is not None and row.test.delta == 200
    assert not row.significant


def test_csat_uses_the_two_proportion_test() -> None:
    cut = Totals(n=100, csat_n=100, csat_top2=80, csat_sum=420)
    rest = Totals(n=100, csat_n=100, csat_top2=60, csat_sum=350)
    row = compare("csat", "a", "A", cut, cut + rest)
    # pooled .7: se = sqrt(.7 * .3 * (2 / 100)) = .0648 -> z = 20 / 6.48 = 3.086
    assert row.value.value == pytest.approx(80)
    assert row.test is not None
    assert row.test.z == pytest.approx(20 / (math.sqrt(0.21 * 0.02) * 100))
    assert row.significant
