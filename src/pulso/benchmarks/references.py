"""The company's figures set against sector reference values, with the gap and its test.

For each reference, the company's figure is the same metric over the chosen period, narrowed to
the reference's interaction type and channel when it names them, for the units the person may
see. The gap is tested with a z-test when the reference's base is known: the company's standard
error from its own answers, the reference's from its base (for an NPS, the largest its score
allows, see :func:`pulso.lib.stats.nps_reference_standard_error`). Without a base the gap is
"not tested"; with either side under the low base it is shown but never called significant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulso.benchmarks.comparisons import metric_value
from pulso.benchmarks.interactions import totals_by_touchpoint
from pulso.benchmarks.models import ReferenceValue
from pulso.core.access import AnyUser
from pulso.journeys.models import Touchpoint
from pulso.lib import stats
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import MetricValue, Totals, low_base_n

TESTED, UNTESTED, LOW_BASE, NO_DATA = "tested", "untested", "low_base", "no_data"


@dataclass
class Gap:
    reference: ReferenceValue
    company: MetricValue
    test: stats.Difference | None
    status: str  # TESTED, UNTESTED (no base), LOW_BASE (a side under the low base), NO_DATA

    @property
    def gap(self) -> float | None:
        value = self.company.value
        return None if value is None else value - self.reference.value

    @property
    def significant(self) -> bool:
        return self.status == TESTED and bool(self.test and self.test.significant)

    def as_dict(self) -> dict[str, Any]:
        ref = self.reference
        test = self.test
        return {
            "id": ref.pk,
            "metric": ref.metric,
            "sector": ref.sector,
            "interaction_type": ref.interaction_type,
            "channel": ref.channel,
            "label": ref.label,
            "value": ref.value,
            "base_n": ref.base_n,
            "source": ref.source,
            "published_on": ref.published_on.isoformat(),
            "notes": ref.notes,
            "company": _round(self.company.value),
            "company_margin": _round(self.company.margin),
            "company_n": self.company.n,
            "gap": _round(self.gap),
            "status": self.status,
            "p_value": round(test.p_value, 4) if test and test.p_value is not None else None,
            "significant": self.significant,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def company_totals(per_touchpoint: dict[Touchpoint, Totals], ref: ReferenceValue) -> Totals:
    """The company's counts over the touchpoints the reference covers."""
    return Totals.sum(
        totals
        for tp, totals in per_touchpoint.items()
        if (not ref.interaction_type or tp.interaction_type == ref.interaction_type)
        and (not ref.channel or tp.channel == ref.channel)
    )


def gap_of(ref: ReferenceValue, totals: Totals) -> Gap:
    company = metric_value(ref.metric, totals)
    if company.value is None:
        return Gap(ref, company, None, NO_DATA)
    if not ref.base_n:
        return Gap(ref, company, None, UNTESTED)
    test = stats.estimates_difference(
        company.value, _company_se(ref.metric, totals, company), ref.value, _reference_se(ref)
    )
    if min(company.n, ref.base_n) < low_base_n():
        return Gap(ref, company, test, LOW_BASE)
    return Gap(ref, company, test, TESTED)


def _company_se(metric: str, totals: Totals, company: MetricValue) -> float:
    if metric == "nps":
        score = stats.nps_with_margin(totals.promoters, totals.detractors, totals.nps_n)
        return score.standard_error if score else 0.0
    return stats.proportion_standard_error(company.value or 0.0, company.n) or 0.0


def _reference_se(ref: ReferenceValue) -> float:
    n = ref.base_n or 0
    if ref.metric == "nps":
        return stats.nps_reference_standard_error(ref.value, n) or 0.0
    return stats.proportion_standard_error(ref.value, n) or 0.0


def gaps(references: Iterable[ReferenceValue], f: MetricFilter, user: AnyUser) -> list[Gap]:
    """Each reference with the company's figure for the filter (one aggregate read in all)."""
    per_touchpoint = totals_by_touchpoint(f, user)
    return [gap_of(ref, company_totals(per_touchpoint, ref)) for ref in references]
