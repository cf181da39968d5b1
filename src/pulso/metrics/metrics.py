"""CX metrics from additive counts: NPS / eNPS, CSAT, CES with margins, changes and targets.

Counts come from the aggregates (or straight from responses, see :func:`totals_of_responses`);
the statistics themselves live in :mod:`pulso.lib.stats`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings

from pulso.lib import stats

COUNT_FIELDS = (
    "n", "nps_n", "promoters", "detractors", "csat_n", "csat_sum", "csat_top2",
    "ces_n", "ces_sum", "ces_easy", "comments", "analysed", "negative",
)  # fmt: skip


def low_base_n() -> int:
    """Below this many answers a metric is marked "base baja" (``PULSO_LOW_BASE_N``, 30)."""
    return int(settings.PULSO_LOW_BASE_N)


@dataclass
class Totals:
    """Additive counts of complete responses; ``+`` merges two cuts."""

    n: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    csat_n: int = 0
    csat_sum: int = 0
    csat_top2: int = 0
    ces_n: int = 0
    ces_sum: int = 0
    ces_easy: int = 0
    comments: int = 0
    analysed: int = 0
    negative: int = 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Totals:
        return cls(**{name: int(row.get(name) or 0) for name in COUNT_FIELDS})

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.n + other.n,
            self.nps_n + other.nps_n,
            self.promoters + other.promoters,
            self.detractors + other.detractors,
            self.csat_n + other.csat_n,
            self.csat_sum + other.csat_sum,
            self.csat_top2 + other.csat_top2,
            self.ces_n + other.ces_n,
            self.ces_sum + other.ces_sum,
            self.ces_easy + other.ces_easy,
            self.comments + other.comments,
            self.analysed + other.analysed,
            self.negative + other.negative,
        )

    @classmethod
    def sum(cls, items: Iterable[Totals]) -> Totals:
        total = cls()
        for item in items:
            total = total + item
        return total


@dataclass(frozen=True)
class MetricValue:
    """One metric for one cut, ready to show: ``value`` None means "sin datos"."""

    key: str
    value: float | None
    margin: float | None = None
    mean: float | None = None
    n: int = 0
    low_base: bool = False
    previous: float | None = None
    previous_n: int = 0
    change: stats.Difference | None = None
    target: float | None = None

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def change_tested(self) -> bool:
        """Whether both periods have the base for a significance test (see ``honest_change``)."""
        return min(self.n, self.previous_n) >= low_base_n()

    @property
    def meets_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target

    def as_dict(self) -> dict[str, Any]:
        change = self.change
        return {
            "value": _round(self.value),
            "margin": _round(self.margin),
            "mean": _round(self.mean, 2),
            "n": self.n,
            "low_base": self.low_base,
            "previous": _round(self.previous),
            "previous_n": self.previous_n,
            "change": _round(change.delta) if change else None,
            "p_value": _round(change.p_value, 4) if change and change.p_value is not None else None,
            "significant": change.significant if change else False,
            "target": self.target,
            "meets_target": self.meets_target,
        }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def honest_change(
    change: stats.Difference | None, n: int, previous_n: int
) -> stats.Difference | None:
    """The change, called significant only when both periods have at least the low base."""
    if change is None or not change.significant or min(n, previous_n) >= low_base_n():
        return change
    return replace(change, significant=False)


def nps(totals: Totals, previous: Totals | None = None, key: str = "nps") -> MetricValue:
    """NPS (or eNPS) with its 95 % margin, and a z-test against ``previous``."""
    current = stats.nps_with_margin(totals.promoters, totals.detractors, totals.nps_n)
    before = (
        stats.nps_with_margin(previous.promoters, previous.detractors, previous.nps_n)
        if previous
        else None
    )
    return MetricValue(
        key=key,
        value=current.score if current else None,
        margin=current.margin if current else None,
        n=totals.nps_n,
        low_base=0 < totals.nps_n < low_base_n(),
        previous=before.score if before else None,
        previous_n=previous.nps_n if previous else 0,
        change=honest_change(
            stats.nps_difference(current, before),
            totals.nps_n,
            previous.nps_n if previous else 0,
        ),
    )


def _proportion(
    key: str, hits: int, n: int, total: int, previous: tuple[int, int, int] | None
) -> MetricValue:
    current = stats.proportion_with_margin(hits, n, total)
    before = stats.proportion_with_margin(*previous) if previous else None
    return MetricValue(
        key=key,
        value=current.percent if current else None,
        margin=current.margin if current else None,
        mean=current.mean if current else None,
        n=n,
        low_base=0 < n < low_base_n(),
        previous=before.percent if before else None,
        previous_n=previous[1] if previous else 0,
        change=honest_change(
            stats.proportion_difference(current, before), n, previous[1] if previous else 0
        ),
    )


def csat(totals: Totals, previous: Totals | None = None) -> MetricValue:
    """CSAT: % of 4–5 answers on the 1–5 scale (``mean`` is the average score)."""
    before = (previous.csat_top2, previous.csat_n, previous.csat_sum) if previous else None
    return _proportion("csat", totals.csat_top2, totals.csat_n, totals.csat_sum, before)


def ces(totals: Totals, previous: Totals | None = None) -> MetricValue:
    """CES: % of "easy" answers (5–7 on the 1–7 scale); ``mean`` is the average score."""
    before = (previous.ces_easy, previous.ces_n, previous.ces_sum) if previous else None
    return _proportion("ces", totals.ces_easy, totals.ces_n, totals.ces_sum, before)


@dataclass
class Scorecard:
    """The headline metrics of one cut, compared with the previous period."""

    responses: int
    nps: MetricValue
    csat: MetricValue
    ces: MetricValue
    enps: MetricValue
    extra: dict[str, Any] = field(default_factory=dict)

    def metrics(self) -> list[MetricValue]:
        return [self.nps, self.csat, self.ces, self.enps]

    def as_dict(self) -> dict[str, Any]:
        data = {m.key: m.as_dict() for m in self.metrics()}
        return {"responses": self.responses, **data, **self.extra}


def scorecard(
    customers: Totals, previous: Totals, employees: Totals, employees_before: Totals
) -> Scorecard:
    return Scorecard(
        responses=customers.n + employees.n,
        nps=nps(customers, previous),
        csat=csat(customers, previous),
        ces=ces(customers, previous),
        enps=nps(employees, employees_before, key="enps"),
    )


def with_target(metric: MetricValue, target: float | None) -> MetricValue:
    return replace(metric, target=target)


def response_rate(answered: int, delivered: int) -> float | None:
    """Answered invitations as a % of delivered ones; None when none were delivered."""
    rate = stats.share(answered, delivered)
    return None if rate is None else rate * 100


def negative_share(negative: int, analysed: int) -> float | None:
    """% of analysed comments whose sentiment is negative; None when none was analysed."""
    rate = stats.share(negative, analysed)
    return None if rate is None else rate * 100
