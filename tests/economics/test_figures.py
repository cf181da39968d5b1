"""The economics figures on small worlds worked out by hand: groups, intervals, Kaplan–Meier
curves, campaigns, revenue at risk."""

from __future__ import annotations

import math

import pytest

from pulso.customers.models import CustomerAction
from pulso.economics.figures import compute_economics
from pulso.economics.stats import kaplan_meier, mean_with_interval, retention_at, wilson
from tests.economics.world import AS_OF, DAY, act, answer, customer_answering

pytestmark = pytest.mark.django_db
Kind = CustomerAction.Kind
Z = 1.959963984540054


def hand_wilson(hits: int, n: int) -> tuple[float, float]:
    p = hits / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def test_wilson_interval_matches_the_formula() -> None:
    found = wilson(3, 10)
    assert found is not None
    low, high = hand_wilson(3, 10)
    assert found.rate == pytest.approx(0.3)
    assert (found.low, found.high) == (pytest.approx(low), pytest.approx(high))
    assert found.complement().rate == pytest.approx(0.7)
    assert found.complement().low == pytest.approx(1 - high)
    assert wilson(0, 0) is None


def test_mean_interval_is_students_t() -> None:
    found = mean_with_interval([120.0, 100.0])
    assert found is not None
    margin = 12.706204736174707 * math.sqrt(200) / math.sqrt(2)  # t(0.975, 1) · s / √n
    assert found.mean == pytest.approx(110)
    assert (found.low, found.high) == (pytest.approx(110 - margin), pytest.approx(110 + margin))
    assert mean_with_interval([]) is None


def test_kaplan_meier_on_a_case_worked_by_hand() -> None:
    # Days to churn (True) or to today (False): 1, 2, 2 censored, 3, 5 censored.
    curve = kaplan_meier([1, 2, 2, 3, 5], [True, True, False, True, False])
    assert [(p.day, p.at_risk) for p in curve] == [(0, 5), (1, 5), (2, 4), (3, 2), (5, 1)]
    # S(1) = 4/5; S(2) = 4/5 · 3/4; S(3) = 0.6 · 1/2; flat to the longest follow-up.
    assert [p.retention for p in curve] == pytest.approx([1, 0.8, 0.6, 0.3, 0.3])
    greenwood = 0.8 * math.sqrt(1 / (5 * 4))
    assert curve[1].low == pytest.approx(0.8 - Z * greenwood)
    assert curve[1].high == pytest.approx(min(0.8 + Z * greenwood, 1))
    assert retention_at(curve, 2.5).retention == pytest.approx(0.6)  # type: ignore[union-attr]


def test_retention_curves_of_customers_follow_their_first_answer() -> None:
    for days_ago, churn_day in [(10, 1), (10, 2), (2, None), (10, 3), (5, None)]:
        customer, at = customer_answering(days_ago, nps=3)
        if churn_day is not None:
            act(customer, Kind.CANCELLATION, at + churn_day * DAY)
    act(customer, Kind.CANCELLATION, AS_OF + DAY)  # after as_of: not seen
    curve = compute_economics(90, as_of=AS_OF).curves["detractor"]
    assert [(p.day, p.retention) for p in curve] == [
        (0, 1),
        (1, pytest.approx(0.8)),
        (2, pytest.approx(0.6)),
        (3, pytest.approx(0.3)),
        (5, pytest.approx(0.3)),  # followed up to today
    ]


@pytest.fixture
def world() -> None:
    p1, p1_at = customer_answering(200, nps=10, ces=7)
    act(p1, Kind.PURCHASE, p1_at + 10 * DAY, "100")
    act(p1, Kind.RENEWAL, p1_at + 50 * DAY, "50")
    act(p1, Kind.RETURN, p1_at + 60 * DAY, "30")
    act(p1, Kind.CAMPAIGN_CONTACTED, p1_at + 30 * DAY, campaign="Renovación")
    p2, p2_at = customer_answering(100, nps=9)
    act(p2, Kind.PURCHASE, p2_at + 89 * DAY, "100")
    customer_answering(30, nps=9)  # not followed for 90 days yet
    d1, d1_at = customer_answering(150, nps=2, ces=2)
    answer(d1, d1_at + 10 * DAY, 10)  # a later answer: the first one is the baseline
    act(d1, Kind.PURCHASE, d1_at + 5 * DAY, "200")
    act(d1, Kind.CAMPAIGN_CONTACTED, d1_at + 15 * DAY, campaign="Renovación")
    act(d1, Kind.CANCELLATION, d1_at + 20 * DAY)
    d2, d2_at = customer_answering(120, nps=6)
    act(d2, Kind.PURCHASE, d2_at - DAY, "500")  # before the answer
    act(d2, Kind.CAMPAIGN_CONTACTED, d2_at + 5 * DAY, campaign="Renovación")
    act(d2, Kind.CANCELLATION, d2_at + 100 * DAY)  # after the window
    d3, d3_at = customer_answering(95, nps=0)
    act(d3, Kind.PURCHASE, d3_at + 91 * DAY, "75")  # after the window
    customer_answering(10, nps=4)  # a detractor of today, not followed yet


def test_group_figures_count_customers_followed_for_the_whole_horizon(world: None) -> None:
    figures = compute_economics(90, as_of=AS_OF)
    assert figures.baselines == 7
    groups = {g.group: g for g in figures.groups}
    promoters, passives, detractors = groups["promoter"], groups["passive"], groups["detractor"]
    assert promoters.customers == 2
    assert (promoters.churn.hits, promoters.repurchase.hits) == (0, 2)  # type: ignore[union-attr]
    assert promoters.revenue.mean == pytest.approx(110)  # type: ignore[union-attr]
    assert detractors.customers == 3
    assert (detractors.churn.hits, detractors.repurchase.hits) == (1, 1)  # type: ignore[union-attr]
    churn = detractors.churn
    assert churn is not None
    assert (churn.low, churn.high) == pytest.approx(hand_wilson(1, 3))
    assert detractors.retention.rate == pytest.approx(2 / 3)  # type: ignore[union-attr]
    assert detractors.revenue.mean == pytest.approx(200 / 3)  # type: ignore[union-attr]
    assert passives.customers == 0 and passives.churn is None
    assert figures.overall.customers == 5
    assert figures.overall.revenue.mean == pytest.approx(84)  # type: ignore[union-attr]
    bands = {b.group: b.customers for b in figures.ces_bands}
    assert bands == {"easy": 1, "hard": 1}


def test_longer_horizon_follows_fewer_customers(world: None) -> None:
    figures = compute_economics(180, as_of=AS_OF)
    groups = {g.group: g for g in figures.groups}
    assert groups["promoter"].customers == 1  # only the one who answered 200 days ago
    assert groups["detractor"].customers == 0


def test_campaign_churn_by_the_group_of_the_latest_answer_before_the_contact(world: None) -> None:
    (campaign,) = compute_economics(90, as_of=AS_OF).campaigns
    assert (campaign.campaign, campaign.contacted) == ("Renovación", 3)
    churn = dict(campaign.groups)
    # The first detractor had answered 10 before the call, and cancelled 5 days after it.
    assert (churn["promoter"].hits, churn["promoter"].n) == (1, 2)  # type: ignore[union-attr]
    assert (churn["detractor"].hits, churn["detractor"].n) == (0, 1)  # type: ignore[union-attr]
    assert churn["passive"] is None


def test_revenue_at_risk_and_value_of_a_conversion(world: None) -> None:
    risk = compute_economics(90, as_of=AS_OF).risk
    assert risk is not None
    # Detractors today: the one who answered 0 95 days ago and the one who answered 10 days ago
    # (the second detractor cancelled after answering, the first answered 10 later).
    assert risk.current_detractors == 2
    assert risk.revenue_at_risk == pytest.approx(2 * (1 / 3) * 84)
    assert risk.value_per_conversion == pytest.approx(110 - 200 / 3)
    assert risk.value_of_all_conversions == pytest.approx(2 * (110 - 200 / 3))


def test_no_answers_no_figures() -> None:
    figures = compute_economics(90, as_of=AS_OF)
    assert figures.baselines == 0 and figures.curves == {} and figures.risk is None
