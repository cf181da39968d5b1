"""The target that applies to a cut: the most specific one whose scope contains it."""

from __future__ import annotations

from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Journey, Touchpoint
from pulso.metrics.models import Target


def target_for(
    metric: str,
    journey: Journey | None = None,
    touchpoint: Touchpoint | None = None,
    unit: OrgUnit | None = None,
) -> float | None:
    """The value of the narrowest matching target, or None when no target is set."""
    unit_ids = {int(p) for p in unit.path.strip("/").split("/") if p} if unit else set()
    journey_id = journey.pk if journey else (touchpoint.stage.journey_id if touchpoint else None)
    best: Target | None = None
    for target in Target.objects.filter(metric=metric):
        if target.touchpoint_id and (not touchpoint or target.touchpoint_id != touchpoint.pk):
            continue
        if target.journey_id and target.journey_id != journey_id:
            continue
        if target.org_unit_id and target.org_unit_id not in unit_ids:
            continue
        if best is None or target.specificity > best.specificity:
            best = target
    return best.value if best else None
