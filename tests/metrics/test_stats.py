"""Metric functions against values computed by hand."""

from __future__ import annotations

import math

import pytest

from pulso.lib import stats
from pulso.metrics import metrics
from pulso.metrics.metrics import Totals


def test_z_value_for_95_percent() -> None:
    assert stats.z_value() == pytest.approx(1.959964, abs=1e-6)


def test_nps_and_its_margin_of_error() -> None:
    # 50 promoters, 30 passives, 20 detractors: p=.5, d=.2, variance .5+.2-(.3)^2 = .61
    score = stats.nps_with_margin(promoters=50, detractors=20, n=100)
    assert score is not None
    assert score.score == pytest.approx(30.0)
    assert score.margin == pytest.approx(1.959964 * math.sqrt(0.61 / 100) * 100, rel=1e-6)
    assert score.margin == pytest.approx(15.3078, abs=1e-3)


def test_all_promoters_have_no_variance_and_no_data_is_none() -> None:
    assert stats.nps_with_margin(10, 0, 10).margin == 0  # type: ignore[union-attr]
    assert stats.nps_with_margin(0, 0, 0) is None
    assert stats.proportion_with_margin(0, 0, 0) is None


def test_csat_share_mean_and_margin() -> None:
    score = stats.proportion_with_margin(hits=80, n=100, total=410)
    assert score is not None
    assert (score.percent, score.mean) == (pytest.approx(80.0), pytest.approx(4.1))
    assert score.margin == pytest.approx(1.959964 * 4.0, rel=1e-6)  # sqrt(.8*.2/100) = .04


def test_nps_difference_is_significant_only_with_enough_responses() -> None:
    a = stats.nps_with_margin(50, 20, 100)  # NPS 30, SE sqrt(.61)/10*100
    b = stats.nps_with_margin(30, 30, 100)  # NPS 0, SE sqrt(.6)/10*100
    change = stats.nps_difference(a, b)
    assert change is not None
    assert change.z == pytest.approx(30 / math.sqrt(61 + 60), rel=1e-6)  # 2.727
    assert change.p_value == pytest.approx(0.00639, abs=1e-4)
    assert change.significant
    small = stats.nps_difference(stats.nps_with_margin(5, 2, 10), stats.nps_with_margin(3, 3, 10))
    assert small is not None and not small.significant
    assert stats.nps_difference(a, None) is None


def test_two_proportion_test() -> None:
    # pooled .75: SE = sqrt(.75*.25*(1/100+1/100)) = .06124, z = .1/.06124 = 1.633
    weak = stats.proportion_difference(
        stats.proportion_with_margin(80, 100, 400), stats.proportion_with_margin(70, 100, 350)
    )
    assert weak is not None and weak.z == pytest.approx(1.633, abs=1e-3)
    assert not weak.significant
    strong = stats.proportion_difference(
        stats.proportion_with_margin(320, 400, 1600), stats.proportion_with_margin(280, 400, 1400)
    )
    assert strong is not None and strong.z == pytest.approx(3.266, abs=1e-3)
    assert strong.significant


def test_metric_values_from_totals() -> None:
    now = Totals(n=40, nps_n=40, promoters=20, detractors=8, csat_n=10, csat_sum=42,
                 csat_top2=8, ces_n=4, ces_sum=22, ces_easy=3)  # fmt: skip
    nps = metrics.nps(now)
    assert nps.value == pytest.approx(30.0) and nps.n == 40 and not nps.low_base
    csat = metrics.csat(now)
    assert (csat.value, csat.mean, csat.low_base) == (80.0, 4.2, True)
    ces = metrics.ces(now)
    assert (ces.value, ces.mean) == (75.0, 5.5)


def test_low_base_follows_the_setting(settings: object) -> None:
    totals = Totals(n=12, nps_n=12, promoters=6, detractors=2)
    assert metrics.nps(totals).low_base  # default 30
    settings.PULSO_LOW_BASE_N = 10  # type: ignore[attr-defined]
    assert not metrics.nps(totals).low_base


def test_no_data_is_none_never_nan() -> None:
    empty = metrics.nps(Totals(), Totals())
    assert empty.value is None and empty.change is None and not empty.low_base
    assert empty.as_dict()["value"] is None
    assert metrics.response_rate(0, 0) is None
    assert metrics.negative_share(0, 0) is None
    assert metrics.response_rate(30, 120) == 25.0
