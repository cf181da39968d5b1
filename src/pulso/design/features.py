"""Each customer with feedback as one row of features: who they are (segment, value), what they
think (scores), how much they talk to us and through which touchpoints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count, Q, Sum
from numpy.typing import NDArray

from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.lib.scores import DETRACTOR_MAX, PROMOTER_MIN

SCORES = ("nps", "csat", "ces")
TALLIES = [
    "n",
    *(f"{s}_{part}" for s in SCORES for part in ("sum", "n")),
    "promoters",
    "detractors",
    "csat_top2",
]
NO_SEGMENT = ""


@dataclass
class CustomerTable:
    """Rows are customers (``customer_ids``); ``blocks`` hold their features by kind, with the
    key of each column in ``columns`` (segment names, touchpoint ids, score names…)."""

    customer_ids: list[int]
    blocks: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    columns: dict[str, list[Any]] = field(default_factory=dict)
    # Per customer: answer counts (promoters, nps_n, csat_top2, csat_sum…), so that a group's
    # scores are computed from its answers, not as means of means.
    tallies: dict[str, NDArray[np.float64]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.customer_ids)


def _feedback_cells(since: date, until: date) -> list[dict[str, Any]]:
    rows = (
        Feedback.objects.complete()
        .filter(customer__isnull=False, received_at__date__gte=since, received_at__date__lte=until)
        .values("customer_id", "touchpoint_id")
        .annotate(
            n=Count("id"),
            **{f"{s}_sum": Sum(s) for s in SCORES},
            **{f"{s}_n": Count(s) for s in SCORES},
            promoters=Count("id", filter=Q(nps__gte=PROMOTER_MIN)),
            detractors=Count("id", filter=Q(nps__lte=DETRACTOR_MAX)),
            csat_top2=Count("id", filter=Q(csat__gte=4)),
        )
        .order_by("customer_id", "touchpoint_id")
    )
    return list(rows)


def customer_table(since: date, until: date) -> CustomerTable:
    """The customers with complete feedback received between ``since`` and ``until``."""
    cells = _feedback_cells(since, until)
    ids = sorted({c["customer_id"] for c in cells})
    table = CustomerTable(ids)
    index = {pk: i for i, pk in enumerate(ids)}
    _attributes(table, index)
    _behaviour(table, index, cells)
    return table


def _attributes(table: CustomerTable, index: dict[int, int]) -> None:
    segments = [NO_SEGMENT] * len(index)
    values = np.full(len(index), np.nan)
    for pk, segment, value in Customer.objects.filter(pk__in=list(index)).values_list(
        "pk", "segment", "value"
    ):
        segments[index[pk]] = segment or NO_SEGMENT
        if value is not None:
            values[index[pk]] = float(value)
    names = sorted(set(segments))
    if len(names) > 1:
        table.columns["segment"] = names
        table.blocks["segment"] = np.array([[s == n for n in names] for s in segments], float)
    if not np.all(np.isnan(values)):
        table.columns["value"] = ["value"]
        table.blocks["value"] = np.nan_to_num(values, nan=float(np.nanmedian(values)))[:, None]


def _behaviour(table: CustomerTable, index: dict[int, int], cells: list[dict[str, Any]]) -> None:
    touchpoints = sorted({c["touchpoint_id"] for c in cells if c["touchpoint_id"] is not None})
    column = {tp: j for j, tp in enumerate(touchpoints)}
    usage = np.zeros((len(index), len(touchpoints)))
    counts = np.zeros(len(index))
    tallies = {name: np.zeros(len(index)) for name in TALLIES}
    for c in cells:
        row = index[c["customer_id"]]
        counts[row] += c["n"]
        if c["touchpoint_id"] is not None:
            usage[row, column[c["touchpoint_id"]]] += c["n"]
        for name in TALLIES:
            tallies[name][row] += c[name] or 0
    table.tallies = tallies
    table.blocks["activity"] = counts[:, None]
    table.columns["activity"] = ["activity"]
    if touchpoints:
        table.blocks["touchpoint"] = usage / counts[:, None]
        table.columns["touchpoint"] = touchpoints
    _scores(table)


def _scores(table: CustomerTable) -> None:
    """Each customer's mean score; a customer without a score takes everyone's mean."""
    names, means = [], []
    for s in SCORES:
        total, n = table.tallies[f"{s}_sum"], table.tallies[f"{s}_n"]
        if not n.any():
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            means.append(np.where(n > 0, total / n, total.sum() / n.sum()))
        names.append(s)
    if names:
        table.columns["scores"] = names
        table.blocks["scores"] = np.column_stack(means)
