"""The reputation index: its formula per mention, its interval, and its groups."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from pulso.reputation.index import (
    MentionRow,
    index_by,
    is_positive,
    mention_score,
    rating_points,
    summarise,
)


@pytest.mark.parametrize(
    ("rating", "scale", "low_star", "top_star"), [(Decimal(1), 5, 1, 5), (Decimal(1), 10, 1, 10)]
)
def test_the_lowest_star_is_0_and_the_highest_100(rating, scale, low_star, top_star) -> None:
    assert rating_points(Decimal(low_star), scale) == 0
    assert rating_points(Decimal(top_star), scale) == 100
    middle = (low_star + top_star) / 2
    assert rating_points(Decimal(str(middle)), scale) == pytest.approx(50)


def test_unusable_ratings_are_left_out() -> None:
    assert rating_points(None, 5) is None
    assert rating_points(Decimal(1), 1) is None
    assert rating_points(Decimal(0), 5) == 0  # below the lowest star: clipped


def test_a_mention_scores_the_mean_of_its_rating_and_sentiment() -> None:
    four_stars = rating_points(Decimal(4), 5)
    assert mention_score(Decimal(4), 5, "negative") == pytest.approx((four_stars + 0) / 2)
    assert mention_score(None, 5, "neutral") == 50
    assert mention_score(Decimal(4), 5, "") == four_stars
    assert mention_score(None, 5, None) is None


def test_positive_reads_the_sentiment_first_then_the_rating() -> None:
    assert is_positive(Decimal(1), 5, "positive")
    assert not is_positive(Decimal(5), 5, "negative")
    assert is_positive(Decimal(5), 5, "")
    assert not is_positive(Decimal(3), 5, None)


def test_the_interval_is_the_normal_one_of_the_mean() -> None:
    scores = [100.0, 0.0, 50.0, 75.0, None]
    cell = summarise("k", "k", scores, positive=2)
    values = [s for s in scores if s is not None]
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    assert cell.index == pytest.approx(mean)
    assert cell.high - cell.index == pytest.approx(1.959964 * sd / math.sqrt(len(values)), 1e-4)
    assert (cell.n, cell.scored, cell.positive) == (5, 4, 2)


def test_one_scored_mention_has_no_interval() -> None:
    cell = summarise("k", "k", [80.0, None], positive=1)
    assert cell.index == 80 and cell.low is None and cell.high is None


def test_rows_group_by_month_week_network_and_unit() -> None:
    rows = [
        MentionRow(dt.date(2026, 3, 2), "Google", "Bilbao", 100.0, True),
        MentionRow(dt.date(2026, 3, 30), "X", "Bilbao", 0.0, False),
        MentionRow(dt.date(2026, 4, 1), "Google", "Sevilla", 50.0, False),
    ]
    months = index_by(rows, "period", "month")
    assert [(c.key, c.n) for c in months] == [(dt.date(2026, 3, 1), 2), (dt.date(2026, 4, 1), 1)]
    weeks = index_by(rows, "period", "week")
    mondays = sorted({r.day - dt.timedelta(days=r.day.weekday()) for r in rows})
    assert [c.key for c in weeks] == mondays and len(mondays) == 2
    networks = {c.label: c.index for c in index_by(rows, "network")}
    assert networks == {"Google": pytest.approx(75), "X": 0}
    units = {c.label: c.n for c in index_by(rows, "unit")}
    assert units == {"Bilbao": 2, "Sevilla": 1}
