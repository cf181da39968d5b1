"""How a visit is scored: each answered standard on 0–100, the visit as their weighted mean.

- yes/no and photo standards: met 100, not met 0 (a photo standard also needs its photo);
- scales from 1 to ``scale_max``: 1 is 0 and the maximum is 100, linearly;
- comments are evidence and carry no score.

A scored standard fails below 50 (a "no", or the lower half of a scale).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PASS_MARK = 50.0
YES_NO_KINDS = ("yes_no", "photo")


@dataclass(frozen=True)
class ItemScore:
    score: float | None  # None: not scored (a comment) or not answered
    failed: bool


def item_score(kind: str, passed: bool | None, rating: int | None, scale_max: int) -> ItemScore:
    """The score of one answer to a standard of ``kind``."""
    if kind in YES_NO_KINDS:
        if passed is None:
            return ItemScore(None, False)
        value = 100.0 if passed else 0.0
    elif kind == "scale":
        if rating is None or scale_max < 2:
            return ItemScore(None, False)
        bounded = min(max(rating, 1), scale_max)
        value = (bounded - 1) / (scale_max - 1) * 100
    else:
        return ItemScore(None, False)
    return ItemScore(value, value < PASS_MARK)


def visit_score(items: Iterable[tuple[float | None, int]]) -> float | None:
    """The weighted mean of ``(score, weight)`` over the scored items; None without any."""
    total = weights = 0.0
    for score, weight in items:
        if score is not None and weight > 0:
            total += score * weight
            weights += weight
    return round(total / weights, 1) if weights else None
