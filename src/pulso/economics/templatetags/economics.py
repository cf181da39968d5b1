"""``|percent``: a share (0–1) as a localised percentage with one decimal."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{number_format(round(100 * share, 1), 1)} %"  # number_format truncates
