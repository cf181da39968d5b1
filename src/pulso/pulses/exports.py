"""Rows of pulse results for the CSV export and the API, from :func:`pulse_results` only."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from pulso.core.access import AnyUser
from pulso.pulses.models import Pulse
from pulso.pulses.results import GroupResult, pulse_results


def result_rows(pulse: Pulse, user: AnyUser) -> list[dict[str, Any]]:
    """One row per group the person may see; withheld groups carry no figures at all."""
    items = list(pulse.items.values_list("text", flat=True))
    return [_row(group, items) for group in pulse_results(pulse, user)]


def _row(group: GroupResult, items: list[str]) -> dict[str, Any]:
    return {
        "unit_id": group.unit.pk,
        "unit": group.unit.name,
        "tenure": group.tenure,
        "suppressed": group.suppressed,
        "n": group.n,
        "enps": None if group.enps is None else round(group.enps, 1),
        "engagement": None if group.engagement is None else round(group.engagement, 2),
        "items": {
            text: None if score is None else round(score, 2)
            for text, score in zip(items, group.items, strict=True)
        },
    }


def results_csv(pulse: Pulse, user: AnyUser) -> str:
    rows = result_rows(pulse, user)
    items = list(pulse.items.values_list("text", flat=True))
    out = io.StringIO()
    writer = csv.writer(out)
    header = [_("Org unit"), _("Tenure"), _("Answers"), _("eNPS"), _("Engagement (1–5)")]
    writer.writerow(header + items)
    for row in rows:
        figures = [row["n"], row["enps"], row["engagement"], *row["items"].values()]
        shown = ["" if value is None else value for value in figures]
        if row["suppressed"]:
            shown[0] = _("fewer than the minimum, or withheld")
        writer.writerow([row["unit"], row["tenure"], *shown])
    return out.getvalue()
