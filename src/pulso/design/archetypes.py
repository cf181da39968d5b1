"""Archetypes from the customer table: the groups, and what describes each one (size,
distinguishing features, scores, typical journey, the customers closest to its centre)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pulso.design.features import CustomerTable
from pulso.lib.clustering import (
    Grouping,
    TooFewRows,
    find_groups,
    nearest_rows,
    standardise_blocks,
)

PROFILE_LENGTH = 5
JOURNEY_LENGTH = 5
TYPICAL_MEMBERS = 40
MIN_CUSTOMERS = 20
# Value (€/year) and the number of answers are skewed: a few large customers would make groups
# of their own.
LOGGED_BLOCKS = {"value", "activity"}
SHARES = {"segment", "touchpoint"}


class TooFewCustomers(TooFewRows):
    """Raised when there are too few customers with feedback to find groups."""


@dataclass
class FoundArchetype:
    size: int
    profile: list[dict[str, Any]]
    scores: dict[str, Any]
    journey: list[dict[str, Any]]
    segments: dict[str, float]
    typical_customers: list[int]  # ids, closest to the centre first


@dataclass
class Found:
    labels: NDArray[np.int_]  # per row of the table
    silhouette: float
    archetypes: list[FoundArchetype]


def feature_matrix(table: CustomerTable) -> NDArray[np.float64]:
    blocks = [
        np.log1p(np.maximum(block, 0)) if name in LOGGED_BLOCKS else block
        for name, block in table.blocks.items()
    ]
    return standardise_blocks(blocks)


def find(table: CustomerTable, k_min: int = 2, k_max: int = 8, seed: int = 0) -> Found:
    if len(table) < MIN_CUSTOMERS:
        raise TooFewCustomers(len(table))
    try:
        grouping = find_groups(feature_matrix(table), k_min, k_max, seed)
    except TooFewRows as exc:
        raise TooFewCustomers(len(table)) from exc
    archetypes = [_describe(table, grouping, g) for g in range(grouping.k)]
    return Found(grouping.labels, grouping.silhouette, archetypes)


def _describe(table: CustomerTable, grouping: Grouping, group: int) -> FoundArchetype:
    members = grouping.labels == group
    typical = nearest_rows(grouping, group, TYPICAL_MEMBERS)
    return FoundArchetype(
        size=int(members.sum()),
        profile=profile(table, members),
        scores=scores(table, members),
        journey=journey(table, members),
        segments=segments(table, members),
        typical_customers=[table.customer_ids[i] for i in typical],
    )


def profile(table: CustomerTable, members: NDArray[np.bool_]) -> list[dict[str, Any]]:
    """The features where the group differs most from everyone (in standard deviations)."""
    found = []
    for kind, block in table.blocks.items():
        overall, std = block.mean(axis=0), block.std(axis=0)
        inside = block[members].mean(axis=0)
        for j, key in enumerate(table.columns[kind]):
            # A segment or touchpoint the group lacks is said by the ones it has.
            lacks = kind in SHARES and inside[j] < overall[j]
            if std[j] > 0 and not lacks:
                effect = float((inside[j] - overall[j]) / std[j])
                found.append((abs(effect), kind, key, float(inside[j]), float(overall[j])))
    found.sort(key=lambda f: (-f[0], f[1], str(f[2])))
    return [
        {"kind": kind, "key": key, "value": round(value, 4), "overall": round(overall, 4)}
        for _, kind, key, value, overall in found[:PROFILE_LENGTH]
    ]


def scores(table: CustomerTable, members: NDArray[np.bool_]) -> dict[str, Any]:
    t = {name: float(values[members].sum()) for name, values in table.tallies.items()}
    result: dict[str, Any] = {"feedback": int(t["n"])}
    if t["nps_n"]:
        promoters, detractors, n = t["promoters"], t["detractors"], t["nps_n"]
        result |= {"nps": round(100 * (promoters - detractors) / n, 1), "nps_n": int(n)}
    if t["csat_n"]:
        result |= {"csat": round(100 * t["csat_top2"] / t["csat_n"], 1), "csat_n": int(t["csat_n"])}
    if t["ces_n"]:
        result |= {"ces": round(t["ces_sum"] / t["ces_n"], 2), "ces_n": int(t["ces_n"])}
    return result


def segments(table: CustomerTable, members: NDArray[np.bool_]) -> dict[str, float]:
    block = table.blocks.get("segment")
    if block is None:
        return {}
    shares = block[members].mean(axis=0)
    pairs = sorted(zip(table.columns["segment"], shares, strict=True), key=lambda p: -p[1])
    return {name: round(float(share), 4) for name, share in pairs if share > 0}


def journey(table: CustomerTable, members: NDArray[np.bool_]) -> list[dict[str, Any]]:
    """The touchpoints the group's feedback is most about, with the share of it each takes."""
    usage = table.blocks.get("touchpoint")
    if usage is None:
        return []
    counts = usage[members] * table.tallies["n"][members][:, None]
    totals = counts.sum(axis=0)
    total = totals.sum()
    order = np.argsort(-totals, kind="stable")[:JOURNEY_LENGTH]
    return [
        {"touchpoint": table.columns["touchpoint"][j], "share": round(float(totals[j] / total), 4)}
        for j in order
        if totals[j] > 0
    ]
