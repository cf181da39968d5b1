"""On the demo company, every economics figure equals the same figure computed independently
in plain SQL written here (SQLite and PostgreSQL), and the demo's actions tell the story the
page is about: detractors churn more and buy again less than promoters."""

from __future__ import annotations

import datetime as dt
import importlib
import math
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from pulso.customers.models import CustomerAction
from pulso.demo import SEED, STEPS
from pulso.economics.figures import Economics, compute_economics

pytestmark = pytest.mark.django_db
DEMO_DAYS = 200  # long enough to follow customers for 90 and 180 days
STEPS_NEEDED = [
    "pulso.demo.org",
    "pulso.demo.journeys",
    "pulso.demo.surveys",
    "pulso.demo.responses",
    "pulso.demo.economics",
]


def _quiet(label: str, total: int) -> Callable[[int], None]:
    return lambda done: None


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dt.datetime]:
    """The demo's org, surveys, responses and customer actions, once for the module, in a
    transaction rolled back at its end; yields the moment the figures are computed for."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PULSO_DEMO_DAYS=DEMO_DAYS),
    ):
        for step in STEPS_NEEDED:
            rng = random.Random(f"{SEED}:{STEPS[step]}")
            importlib.import_module(step).build(rng, _quiet)
        yield timezone.now().replace(microsecond=0)
        transaction.set_rollback(True)


# --- The independent computation --------------------------------------------------------------


def days(start: str, end: str) -> str:
    """SQL for the days (fractional) from ``start`` to ``end``."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
    return f"(julianday({end}) - julianday({start}))"


def moment(value: dt.datetime) -> str:
    utc = value.astimezone(dt.UTC)
    if connection.vendor == "postgresql":
        return f"TIMESTAMP WITH TIME ZONE '{utc:%Y-%m-%d %H:%M:%S}+00:00'"
    return f"'{utc:%Y-%m-%d %H:%M:%S}'"


def window(a: str, start: str, horizon: int) -> str:
    """The action ``a`` happened in (start, start + horizon days]."""
    elapsed = days(start, f"{a}.occurred_at")
    return f"{elapsed} > 0 AND {elapsed} <= {horizon}"


GROUP = "CASE WHEN {n} >= 9 THEN 'promoter' WHEN {n} >= 7 THEN 'passive' ELSE 'detractor' END"
ANSWERS = """
    SELECT f.id, f.customer_id, f.received_at, f.nps, f.ces,
           ROW_NUMBER() OVER (
               PARTITION BY f.customer_id ORDER BY f.received_at {order}, f.id {order}
           ) AS position
    FROM feedback_feedback f
    WHERE f.customer_id IS NOT NULL AND f.nps IS NOT NULL AND f.is_complete
      AND {answered_by_now}
"""


def followed_sql(as_of: dt.datetime, horizon: int, grouping: str) -> str:
    """Per group: customers followed, churned, repurchased, revenue and its sum of squares."""
    now = moment(as_of)
    answers = ANSWERS.format(order="ASC", answered_by_now=f"{days('f.received_at', now)} >= 0")
    return f"""
    WITH ranked AS ({answers}),
    followed AS (
        SELECT b.customer_id, b.nps, b.ces, {grouping} AS grp,
          CASE WHEN EXISTS (SELECT 1 FROM customers_customeraction a
                WHERE a.customer_id = b.customer_id AND a.kind = 'cancellation'
                  AND {window("a", "b.received_at", horizon)}) THEN 1 ELSE 0 END AS churned,
          CASE WHEN EXISTS (SELECT 1 FROM customers_customeraction a
                WHERE a.customer_id = b.customer_id AND a.kind IN ('purchase', 'renewal')
                  AND {window("a", "b.received_at", horizon)}) THEN 1 ELSE 0 END AS bought,
          COALESCE((SELECT SUM(CASE WHEN a.kind = 'return' THEN -a.amount ELSE a.amount END)
                FROM customers_customeraction a
                WHERE a.customer_id = b.customer_id AND a.amount IS NOT NULL
                  AND a.kind IN ('purchase', 'renewal', 'return')
                  AND {window("a", "b.received_at", horizon)}), 0) AS revenue
        FROM ranked b
        WHERE b.position = 1 AND {days("b.received_at", now)} >= {horizon}
    )
    SELECT grp, COUNT(*), SUM(churned), SUM(bought), SUM(revenue), SUM(revenue * revenue)
    FROM followed WHERE grp IS NOT NULL GROUP BY grp
    """


def campaigns_sql(as_of: dt.datetime, horizon: int) -> str:
    """Per campaign and NPS group of the latest answer before the first contact: contacted
    customers followed for the horizon, and those who cancelled within it."""
    now = moment(as_of)
    latest_nps = f"""(SELECT f.nps FROM feedback_feedback f
        WHERE f.customer_id = c.customer_id AND f.nps IS NOT NULL AND f.is_complete
          AND {days("f.received_at", "c.contacted_at")} >= 0
        ORDER BY f.received_at DESC, f.id DESC LIMIT 1)"""
    return f"""
    WITH contacts AS (
        SELECT a.customer_id, a.campaign, MIN(a.occurred_at) AS contacted_at
        FROM customers_customeraction a
        WHERE a.kind = 'campaign_contacted' AND a.campaign <> ''
          AND {days("a.occurred_at", now)} >= 0
        GROUP BY a.customer_id, a.campaign
    ),
    graded AS (
        SELECT c.customer_id, c.campaign, c.contacted_at, {latest_nps} AS nps
        FROM contacts c WHERE {days("c.contacted_at", now)} >= {horizon}
    )
    SELECT g.campaign, {GROUP.format(n="g.nps")} AS grp, COUNT(*),
        SUM(CASE WHEN EXISTS (SELECT 1 FROM customers_customeraction a
            WHERE a.customer_id = g.customer_id AND a.kind = 'cancellation'
              AND {window("a", "g.contacted_at", horizon)}) THEN 1 ELSE 0 END)
    FROM graded g WHERE g.nps IS NOT NULL
    GROUP BY g.campaign, {GROUP.format(n="g.nps")}
    """


def current_detractors_sql(as_of: dt.datetime) -> str:
    now = moment(as_of)
    answers = ANSWERS.format(order="DESC", answered_by_now=f"{days('f.received_at', now)} >= 0")
    return f"""
    WITH ranked AS ({answers})
    SELECT COUNT(*) FROM ranked r
    WHERE r.position = 1 AND r.nps <= 6 AND NOT EXISTS (
        SELECT 1 FROM customers_customeraction a
        WHERE a.customer_id = r.customer_id AND a.kind = 'cancellation'
          AND {days("r.received_at", "a.occurred_at")} > 0 AND {days("a.occurred_at", now)} >= 0)
    """


def fetch(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def by_group(rows: list[tuple[Any, ...]]) -> dict[str, tuple[int, int, int, float, float]]:
    return {
        row[0]: (int(row[1]), int(row[2]), int(row[3]), float(row[4]), float(row[5]))
        for row in rows
    }


def assert_group_matches(figure: Any, expected: tuple[int, int, int, float, float]) -> None:
    n, churned, bought, revenue, squares = expected
    assert figure.customers == n
    assert figure.churn.hits == churned and figure.churn.n == n
    assert figure.retention.hits == n - churned
    assert figure.repurchase.hits == bought
    mean = revenue / n
    assert figure.revenue.mean == pytest.approx(mean, rel=1e-9, abs=1e-6)
    sd = math.sqrt(max(squares - n * mean * mean, 0) / (n - 1))
    spread = figure.revenue.high - figure.revenue.low
    assert spread / 2 == pytest.approx(_t(n) * sd / math.sqrt(n), rel=1e-6, abs=1e-6)


def _t(n: int) -> float:
    from scipy.stats import t

    return float(t.ppf(0.975, n - 1))


# --- The tests ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=[90, 180])
def figures(request: Any, demo: dt.datetime) -> tuple[Economics, int, dt.datetime]:
    return compute_economics(request.param, as_of=demo), request.param, demo


def test_the_demo_has_actions_and_none_in_the_future(demo: dt.datetime) -> None:
    assert CustomerAction.objects.count() > 5_000
    assert not CustomerAction.objects.filter(occurred_at__gt=timezone.now()).exists()
    kinds = set(CustomerAction.objects.values_list("kind", flat=True).distinct())
    assert kinds == set(CustomerAction.Kind.values)


def test_nps_group_figures_equal_the_sql_computation(figures: Any) -> None:
    economics, horizon, as_of = figures
    grouping = GROUP.format(n="b.nps")
    expected = by_group(fetch(followed_sql(as_of, horizon, grouping)))
    assert set(expected) == {"promoter", "passive", "detractor"}
    for figure in economics.groups:
        assert_group_matches(figure, expected[figure.group])
    everyone = [sum(values[i] for values in expected.values()) for i in range(5)]
    assert_group_matches(economics.overall, tuple(everyone))  # type: ignore[arg-type]
    assert economics.overall.customers > 500


def test_ces_band_figures_equal_the_sql_computation(figures: Any) -> None:
    economics, horizon, as_of = figures
    grouping = (
        "CASE WHEN b.ces >= 5 THEN 'easy' WHEN b.ces = 4 THEN 'neutral' "
        "WHEN b.ces >= 1 THEN 'hard' END"
    )
    expected = by_group(fetch(followed_sql(as_of, horizon, grouping)))
    assert {band.group for band in economics.ces_bands} == set(expected)
    for band in economics.ces_bands:
        assert_group_matches(band, expected[band.group])


def test_campaign_churn_equals_the_sql_computation(figures: Any) -> None:
    economics, horizon, as_of = figures
    expected = {(c, g): (int(n), int(k)) for c, g, n, k in fetch(campaigns_sql(as_of, horizon))}
    assert expected
    found = {
        (c.campaign, group): (p.n, p.hits)
        for c in economics.campaigns
        for group, p in c.groups
        if p is not None
    }
    assert found == expected


def test_revenue_at_risk_equals_the_sql_computation(figures: Any) -> None:
    economics, horizon, as_of = figures
    detractors_today = fetch(current_detractors_sql(as_of))[0][0]
    groups = by_group(fetch(followed_sql(as_of, horizon, GROUP.format(n="b.nps"))))
    n_d, churned_d, _b, revenue_d, _s = groups["detractor"]
    n_p, _c, _b, revenue_p, _s = groups["promoter"]
    everyone = sum(v[0] for v in groups.values()), sum(v[3] for v in groups.values())
    risk = economics.risk
    assert risk.current_detractors == detractors_today > 0
    at_risk = detractors_today * churned_d / n_d * everyone[1] / everyone[0]
    assert risk.revenue_at_risk == pytest.approx(at_risk, rel=1e-9)
    assert risk.value_per_conversion == pytest.approx(revenue_p / n_p - revenue_d / n_d, rel=1e-9)


def test_retention_curves_start_with_every_baseline_customer(figures: Any) -> None:
    economics, _horizon, as_of = figures
    baselines = by_group(fetch(followed_sql(as_of, 0, GROUP.format(n="b.nps"))))
    for group, curve in economics.curves.items():
        assert curve[0].at_risk == baselines[group][0]
        retention = [point.retention for point in curve]
        assert retention == sorted(retention, reverse=True)  # never rises


def test_detractors_churn_more_and_buy_again_less_than_promoters(figures: Any) -> None:
    economics, _horizon, _as_of = figures
    groups = {g.group: g for g in economics.groups}
    promoters, detractors = groups["promoter"], groups["detractor"]
    assert detractors.churn.low > promoters.churn.high  # the intervals do not overlap
    assert detractors.repurchase.rate < promoters.repurchase.rate
    assert detractors.revenue.mean < promoters.revenue.mean
