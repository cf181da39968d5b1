"""Interaction type × channel: each cell's figure, and how it compares with the other channels of
the same interaction type (a complaint by phone against complaints by chat and by email).

Survey answers carry the touchpoint they were given for; the touchpoint says the interaction
type (``Touchpoint.interaction_type``) and the channel, so the cells are sums of the
dashboards' aggregates per touchpoint, read for the person's units only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pulso.benchmarks.comparisons import Comparison, compare
from pulso.core.access import AnyUser
from pulso.journeys.models import Channel, InteractionType, Touchpoint
from pulso.metrics import queries
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import Totals

UNCLASSIFIED = ""


def type_label(value: str) -> str:
    if value == UNCLASSIFIED:
        return _("Unclassified")
    return str(InteractionType(value).label) if value in InteractionType.values else value


def channel_label(value: str) -> str:
    return str(Channel(value).label) if value in Channel.values else value or _("No channel")


def totals_by_touchpoint(f: MetricFilter, user: AnyUser) -> dict[Touchpoint, Totals]:
    """The filter's counts per touchpoint, for the units the person may see."""
    rows = queries.totals_by(f, user, ("touchpoint_id",))
    found = Touchpoint.objects.in_bulk([key[0] for key in rows])
    return {found[key[0]]: totals for key, totals in rows.items() if key[0] in found}


@dataclass
class Grid:
    """The cells by (interaction type, channel), in the order of the choices."""

    metric: str
    types: list[str]
    channels: list[str]
    cells: dict[tuple[str, str], Comparison]

    def rows(self) -> list[dict[str, Any]]:
        """One row per interaction type, its cells in channel order (None where empty)."""
        return [
            {
                "type": kind,
                "label": type_label(kind),
                "cells": [self.cells.get((kind, channel)) for channel in self.channels],
            }
            for kind in self.types
        ]

    def chart_rows(self) -> list[dict[str, Any]]:
        """The cells with data, in type and channel order (the chart keeps it)."""
        ordered = (
            self.cells.get((kind, channel)) for kind in self.types for channel in self.channels
        )
        return [cell_row(cell) for cell in ordered if cell is not None and cell.value.has_data]

    @property
    def channel_labels(self) -> list[str]:
        return [channel_label(c) for c in self.channels]


def cell_row(cell: Comparison) -> dict[str, Any]:
    value = cell.value.value
    mark = "*" if cell.significant else ""
    return {
        **cell.as_dict(),
        "type": cell.extra["type_label"],
        "channel": cell.extra["channel_label"],
        "text": f"{value:.0f}{mark}" if value is not None else "",
    }


def interaction_grid(f: MetricFilter, user: AnyUser, metric: str = "nps") -> Grid:
    """Every (interaction type, channel) cell with data, each against its type's other channels."""
    cells: dict[tuple[str, str], Totals] = defaultdict(Totals)
    for touchpoint, totals in totals_by_touchpoint(f, user).items():
        key = (touchpoint.interaction_type or UNCLASSIFIED, touchpoint.channel)
        cells[key] = cells[key] + totals
    per_type: dict[str, Totals] = defaultdict(Totals)
    for (kind, _channel), totals in cells.items():
        per_type[kind] = per_type[kind] + totals
    compared = {}
    for (kind, channel), totals in cells.items():
        label = f"{type_label(kind)} · {channel_label(channel)}"
        cell = compare(metric, (kind, channel), label, totals, per_type[kind])
        cell.extra = {"type_label": type_label(kind), "channel_label": channel_label(channel)}
        compared[(kind, channel)] = cell
    type_order = [*InteractionType.values, UNCLASSIFIED]
    channel_order = list(Channel.values)
    types = sorted({k for k, _c in cells}, key=lambda k: _position(type_order, k))
    channels = sorted({c for _k, c in cells}, key=lambda c: _position(channel_order, c))
    return Grid(metric, types, channels, compared)


def _position(order: list[str], value: str) -> int:
    return order.index(value) if value in order else len(order)
