"""Showing metrics honestly: "sin datos" instead of NaN, n and margin always next to the value."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()

# Five bins of NPS, each with a colour of a blue–orange (colour-blind-safe) diverging scale.
NPS_BINS = [(-20, 1), (0, 2), (20, 3), (50, 4)]


@register.filter
def score_class(value: float | None) -> str:
    """CSS class "score-1" (worst, orange) … "score-5" (best, blue); "score-none" without data."""
    if value is None:
        return "score-none"
    for limit, level in NPS_BINS:
        if value < limit:
            return f"score-{level}"
    return "score-5"


@register.filter
def num(value: float | None, digits: int = 1) -> str:
    """A localised number with ``digits`` decimals, or an em dash without data."""
    if value is None:
        return "—"
    return str(number_format(round(value, digits), decimal_pos=digits))


@register.filter
def signed(value: float | None) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + num(value)


@register.inclusion_tag("metrics/_metric.html")
def metric_card(metric: Any, label: str, unit: str = "", low_base_n: int = 30) -> dict[str, Any]:
    return {"m": metric, "label": label, "unit": unit, "low_base_n": low_base_n}


@register.inclusion_tag("metrics/_value.html")
def metric_value(metric: Any, unit: str = "") -> dict[str, Any]:
    """Compact value ± margin with n and the low-base mark, for tables."""
    return {"m": metric, "unit": unit}
