"""Archetypes in words, in the reader's language and with comments as the reader may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pulso.core.access import AnyUser
from pulso.design.models import Archetype
from pulso.feedback.privacy import comment_privacy
from pulso.journeys.models import Touchpoint

SCORE_NAMES = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}


@dataclass
class ArchetypeView:
    archetype: Archetype
    profile: list[str]
    segments: list[tuple[str, float]]
    journey: list[tuple[str, float]]
    quotes: list[str]


def _n(value: float, digits: int = 0) -> str:
    return number_format(round(value, digits), digits)


def _pct(value: float) -> str:
    return _n(100 * value)


def profile_line(entry: dict[str, Any], names: dict[int, str]) -> str:
    kind, key, value, overall = entry["kind"], entry["key"], entry["value"], entry["overall"]
    if kind == "segment":
        text = _("Segment “%(name)s”: %(value)s %% of its customers (%(overall)s %% overall)")
        return text % {
            "name": key or _("no segment"),
            "value": _pct(value),
            "overall": _pct(overall),
        }
    if kind == "touchpoint":
        text = _("“%(name)s”: %(value)s %% of its feedback (%(overall)s %% overall)")
        name = names.get(key, _("a removed touchpoint"))
        return text % {"name": name, "value": _pct(value), "overall": _pct(overall)}
    if kind == "value":
        text = _("Customer value: %(value)s €/year on average (%(overall)s overall)")
        return text % {"value": _n(value), "overall": _n(overall)}
    if kind == "activity":
        text = _("Answers per customer: %(value)s (%(overall)s overall)")
        return text % {"value": _n(value, 1), "overall": _n(overall, 1)}
    text = _("Average %(score)s score: %(value)s (%(overall)s overall)")
    name = SCORE_NAMES.get(key, key)
    return text % {"score": name, "value": _n(value, 1), "overall": _n(overall, 1)}


def touchpoint_names(archetypes: list[Archetype]) -> dict[int, str]:
    ids = {row["touchpoint"] for a in archetypes for row in a.journey}
    ids |= {e["key"] for a in archetypes for e in a.profile if e["kind"] == "touchpoint"}
    return dict(Touchpoint.objects.filter(pk__in=ids).values_list("pk", "name"))


def views(archetypes: list[Archetype], user: AnyUser) -> list[ArchetypeView]:
    """The archetypes (quotes prefetched) as the user may read them."""
    names = touchpoint_names(archetypes)
    privacy = comment_privacy(user)
    return [
        ArchetypeView(
            archetype=a,
            profile=[profile_line(e, names) for e in a.profile],
            segments=[(name or _("no segment"), 100 * s) for name, s in a.segments.items()][:3],
            journey=[(names.get(r["touchpoint"], "—"), 100 * r["share"]) for r in a.journey],
            quotes=[
                privacy.text(q.text, feedback_id=q.pk, unit_id=q.org_unit_id)
                for q in a.quotes.all()
                if q.text
            ],
        )
        for a in archetypes
    ]
