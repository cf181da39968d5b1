"""Crisis spikes over seeded simulated years of the demo company: few false alarms company-wide;
a topic tripling in one store found on its first day where the counts allow it."""

from __future__ import annotations

import numpy as np
import pytest

from pulso.lib.spikes import find_spikes, level_per_test
from tests.lib.simulated_activity import (
    WARM_UP,
    Activity,
    demo_stores,
    simulate,
    store_topic_rates,
)

SIMULATIONS = 20
YEAR = 365
# Parameters were chosen on seeds 1000 and up; these seeds were run once, afterwards.
NORMAL_SEEDS = range(SIMULATIONS)
INCIDENT_SEEDS = range(100, 100 + SIMULATIONS)
# The demo writes 0.01–0.14 negative comments a day per store and topic; a tripling is told
# apart within a day, for any topic, once the sparsest has some 60 a day: 5000 times the
# demo's volumes (on the development seeds: 5 of 20 at ×100, 16 of 20 at ×500, 38 of 40 at
# ×2000, 40 of 40 at ×5000).
WORKABLE_VOLUME = 5000.0


def _alerts(activity: Activity) -> list[tuple[str, int, int]]:
    """(kind, row, day) of every alert of the simulated year, as the daily job raises them."""
    scanned = activity.topics.shape[0] + activity.channels.shape[0]
    topics = find_spikes(activity.topics, activity.store_feedback, scanned)
    channels = find_spikes(activity.channels, activity.other_channels, scanned)
    found = [("topic", s.series, s.day) for s in topics]
    found += [("channel", s.series, s.day) for s in channels]
    return [alert for alert in found if alert[2] >= WARM_UP]


def _false_alarms_per_30_days(volume: float) -> tuple[float, list[int]]:
    alarms = [len(_alerts(simulate(seed, volume=volume))) for seed in NORMAL_SEEDS]
    return float(np.mean(alarms)) / YEAR * 30, alarms


def _first_day_hits(volume: float) -> int:
    hits = 0
    for seed in INCIDENT_SEEDS:
        rng = np.random.default_rng(10_000 + seed)
        series = len(demo_stores()) * len(store_topic_rates())
        row, first = int(rng.integers(series)), int(rng.integers(WARM_UP, WARM_UP + YEAR - 7))
        activity = simulate(seed, volume=volume, incident=(row, first))
        hits += ("topic", row, first) in _alerts(activity)
    return hits


@pytest.mark.parametrize("volume", [1.0, WORKABLE_VOLUME])
def test_a_year_without_incidents_raises_at_most_one_alert_a_month_company_wide(
    volume: float,
) -> None:
    per_30_days, alarms = _false_alarms_per_30_days(volume)
    print(f"volume ×{volume:g}: {per_30_days:.3f} false alarms per 30 days; per year {alarms}")
    assert per_30_days <= 1.0, alarms


def test_a_topic_tripling_in_one_store_alerts_on_its_first_day_in_19_of_20() -> None:
    hits = _first_day_hits(WORKABLE_VOLUME)
    print(f"volume ×{WORKABLE_VOLUME:g}: {hits} of {SIMULATIONS} incidents alerted on day one")
    assert hits >= 19


def _incident_first_days(volume: float) -> list[int]:
    """Complaints on the first day of each incident of the tests' seeds (tripled already)."""
    counts = []
    for seed in INCIDENT_SEEDS:
        rng = np.random.default_rng(10_000 + seed)
        series = len(demo_stores()) * len(store_topic_rates())
        row, first = int(rng.integers(series)), int(rng.integers(WARM_UP, WARM_UP + YEAR - 7))
        counts.append(int(simulate(seed, volume=volume, incident=(row, first)).topics[row, first]))
    return counts


def test_at_the_demo_volumes_most_tripled_topics_leave_not_one_complaint_on_their_first_day() -> (
    None
):
    """Why no detector can meet the requirement at the demo's volumes: an alert needs at least
    one complaint to see, and most incidents leave none within their first day."""
    counts = _incident_first_days(1.0)
    rates = np.array(list(store_topic_rates().values()))
    # Poisson chance of at least one complaint in the first day of a tripled topic, averaged
    # over the topics (a weak store's twice as many raise it a little; overdispersion lowers it).
    ceiling = float(np.mean(-np.expm1(-3 * rates)))
    print(f"demo volumes: first-day complaints {counts}; at most {ceiling:.3f} expected")
    assert sum(c >= 1 for c in counts) < 19
    assert ceiling * SIMULATIONS < 19


@pytest.mark.xfail(
    strict=True,
    reason="At the demo's volumes a store's topic has 0.01-0.14 negative comments a day: "
    "tripled, most incidents leave not one complaint on their first day (see the test "
    "above), so no detector finds 19 of 20 within a day; the requirement needs about 1,000 "
    "times the demo's volumes for an ideal test, 5,000 times for this detector "
    "(docs/alerts-and-reports.md).",
)
def test_at_the_demo_volumes_a_tripled_topic_is_found_on_its_first_day_in_19_of_20() -> None:
    hits = _first_day_hits(1.0)
    print(f"demo volumes: {hits} of {SIMULATIONS} incidents alerted on day one")
    assert hits >= 19


def test_two_complaints_where_there_were_none_are_not_a_crisis() -> None:
    counts = np.zeros((3, 100))
    counts[0, 90] = 2
    counts[1, 90] = 3
    spikes = find_spikes(counts, np.full(counts.shape, 40.0), min_count=3)
    assert [(s.series, s.day, s.count) for s in spikes] == [(1, 90, 3)]


def test_a_sustained_rise_alerts_on_its_first_day_then_keeps_quiet_a_week() -> None:
    rng = np.random.default_rng(5)
    counts = rng.poisson(20.0, size=(4, 140)).astype(float)
    counts[2, 100:] = rng.poisson(60.0, size=40)
    exposure = np.full(counts.shape, 200.0)
    spikes = [s for s in find_spikes(counts, exposure) if s.series == 2]
    assert spikes[0].day == 100
    assert all(s.day >= 107 for s in spikes[1:])
    assert spikes[0].count >= 40 and 15 <= spikes[0].expected <= 25
    assert spikes[0].p_value < level_per_test(4)


def test_without_eight_weeks_of_history_nothing_alerts() -> None:
    counts = np.full((2, 56), 5.0)
    counts[:, -1] = 100
    assert find_spikes(counts, np.full(counts.shape, 50.0)) == []


def test_the_budget_is_shared_by_every_series_scanned() -> None:
    assert level_per_test(1, 0.01) == pytest.approx(0.01)
    assert level_per_test(500, 0.01) == pytest.approx(0.01 / 500, rel=0.01)
