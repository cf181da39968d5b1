"""One cut against the rest: its figure with a 95 % margin, and whether it differs from the rest.

A cut is never tested against a total that holds it: a unit's NPS is compared with the NPS of
everything else in the scope (the total minus the unit), two independent samples, with the
z-test of :mod:`pulso.lib.stats`. A difference is called significant only when both sides have
at least the low base (``PULSO_LOW_BASE_N``), as the dashboards do with changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from django.utils.translation import gettext_lazy as _

from pulso.lib import stats
from pulso.metrics import metrics
from pulso.metrics.metrics import MetricValue, Totals

METRICS = {"nps": _("NPS"), "csat": _("CSAT (% satisfied)"), "ces": _("CES (% easy)")}


def minus(total: Totals, part: Totals) -> Totals:
    """The counts of ``total`` without those of ``part`` (a cut taken out of its scope)."""
    return Totals(**{f.name: getattr(total, f.name) - getattr(part, f.name) for f in fields(total)})


def metric_value(metric: str, totals: Totals) -> MetricValue:
    """The metric of these counts with its 95 % margin and low-base mark."""
    if metric == "csat":
        return metrics.csat(totals)
    if metric == "ces":
        return metrics.ces(totals)
    return metrics.nps(totals)


def difference(metric: str, cut: Totals, rest: Totals) -> stats.Difference | None:
    """z-test of the cut against the rest; None when either has no answers."""
    if metric == "nps":
        found = stats.nps_difference(
            stats.nps_with_margin(cut.promoters, cut.detractors, cut.nps_n),
            stats.nps_with_margin(rest.promoters, rest.detractors, rest.nps_n),
        )
    else:
        hits, n, total = (
            ("csat_top2", "csat_n", "csat_sum")
            if metric == "csat"
            else ("ces_easy", "ces_n", "ces_sum")
        )
        found = stats.proportion_difference(
            stats.proportion_with_margin(*(getattr(cut, a) for a in (hits, n, total))),
            stats.proportion_with_margin(*(getattr(rest, a) for a in (hits, n, total))),
        )
    return metrics.honest_change(found, _base(metric, cut), _base(metric, rest))


def _base(metric: str, totals: Totals) -> int:
    return int(getattr(totals, f"{metric}_n"))


@dataclass
class Comparison:
    """One cut: its figure, the rest of the scope's, and the test of the two."""

    key: Any
    label: str
    value: MetricValue
    rest: MetricValue
    test: stats.Difference | None
    scope: MetricValue  # the whole scope (cut and rest): "the company's figure"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def significant(self) -> bool:
        return bool(self.test and self.test.significant)

    @property
    def gap(self) -> float | None:
        """The cut minus the whole scope's figure (same sign as the cut minus the rest)."""
        if self.value.value is None or self.scope.value is None:
            return None
        return self.value.value - self.scope.value

    @property
    def interval(self) -> tuple[float, float] | None:
        v, m = self.value.value, self.value.margin
        return None if v is None or m is None else (v - m, v + m)

    def as_dict(self) -> dict[str, Any]:
        test = self.test
        return {
            "label": self.label,
            **{k: v for k, v in self.value.as_dict().items() if k in VALUE_KEYS},
            "interval": [round(x, 1) for x in self.interval] if self.interval else None,
            "scope_value": _round(self.scope.value),
            "gap": _round(self.gap),
            "rest_value": _round(self.rest.value),
            "rest_n": self.rest.n,
            "p_value": round(test.p_value, 4) if test and test.p_value is not None else None,
            "significant": self.significant,
            **self.extra,
        }


VALUE_KEYS = {"value", "margin", "n", "low_base"}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def compare(metric: str, key: Any, label: str, cut: Totals, scope: Totals) -> Comparison:
    """``cut`` (a part of ``scope``) against the rest of ``scope``."""
    rest = minus(scope, cut)
    return Comparison(
        key=key,
        label=label,
        value=metric_value(metric, cut),
        rest=metric_value(metric, rest),
        test=difference(metric, cut, rest),
        scope=metric_value(metric, scope),
    )


def ranked(rows: list[Comparison]) -> list[Comparison]:
    """Best figure first; cuts without data last."""
    return sorted(rows, key=lambda r: (r.value.value is None, -(r.value.value or 0), r.label))
