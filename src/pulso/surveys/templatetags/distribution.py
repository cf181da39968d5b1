"""Template filters of the invitation pages."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from pulso.surveys.distribution.rules import detail_label as _detail_label
from pulso.surveys.models import Channel

register = template.Library()


@register.filter
def detail_label(detail: str) -> str:
    return _detail_label(detail)


@register.filter
def channel_label(value: str) -> str:
    return str(dict(Channel.choices).get(value, value))


@register.filter
def percent(rate: float | None) -> str:
    if rate is None:
        return "—"
    return f"{number_format(rate * 100, 1)} %"
