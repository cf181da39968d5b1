"""State changes of archetypes: finding them (a new search, kept with the earlier ones) and the
CX team's names and descriptions; the audit standards linked to a blueprint. Atomic and
audit-logged."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from pulso.audits.models import Standard
from pulso.core.access import AnyUser, signed_in
from pulso.core.audit import record_event
from pulso.design import archetypes
from pulso.design.features import customer_table
from pulso.design.models import Archetype, LinkedStandard, Segmentation
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint

QUOTES = 3
MIN_QUOTE_LENGTH = 25
SEED = 20261202


def representative_quotes(customer_ids: list[int], since: date, until: date) -> list[Feedback]:
    """The latest comment of each typical customer (closest to the centre first), up to 3."""
    comments = (
        Feedback.objects.complete()
        .with_text()
        .filter(
            customer_id__in=customer_ids,
            received_at__date__gte=since,
            received_at__date__lte=until,
        )
        .order_by("customer_id", "-received_at", "-pk")
    )
    latest: dict[int, Feedback] = {}
    for item in comments:
        if item.customer_id not in latest and len(item.text) >= MIN_QUOTE_LENGTH:
            latest[item.customer_id] = item  # type: ignore[index]
    return [latest[c] for c in customer_ids if c in latest][:QUOTES]


@transaction.atomic
def do_find_archetypes(
    since: date, until: date, actor: AnyUser | None = None, seed: int = SEED
) -> Segmentation:
    """Cluster the customers with feedback in [since, until] and keep the archetypes found.

    Raises :class:`archetypes.TooFewCustomers` when there are too few to group."""
    table = customer_table(since, until)
    found = archetypes.find(table, seed=seed)
    segmentation = Segmentation.objects.create(
        found_by=signed_in(actor),
        since=since,
        until=until,
        customers=len(table),
        silhouette=round(found.silhouette, 4),
    )
    for position, item in enumerate(found.archetypes):
        archetype = Archetype.objects.create(
            segmentation=segmentation,
            position=position,
            name=_("Archetype %(number)s") % {"number": position + 1},
            size=item.size,
            profile=item.profile,
            scores=item.scores,
            journey=item.journey,
            segments=item.segments,
        )
        archetype.quotes.set(representative_quotes(item.typical_customers, since, until))
    record_event("archetypes.found", segmentation, actor, archetypes=len(found.archetypes))
    return segmentation


@transaction.atomic
def do_edit_archetype(
    archetype: Archetype, name: str, description: str, actor: AnyUser | None = None
) -> Archetype:
    archetype.name, archetype.description = name, description
    archetype.save(update_fields=["name", "description"])
    record_event("archetype.changed", archetype, actor)
    return archetype


@transaction.atomic
def do_link_audit_standards(
    touchpoint: Touchpoint, standards: list[Standard], actor: AnyUser | None = None
) -> None:
    """Link exactly ``standards`` (of the touchpoint's checklists) to its blueprint."""
    wanted = {s.pk for s in standards if s.checklist.touchpoint_id == touchpoint.pk}
    linked = LinkedStandard.objects.filter(touchpoint=touchpoint)
    current = set(linked.values_list("standard_id", flat=True))
    if wanted == current:
        return
    linked.exclude(standard_id__in=wanted).delete()
    LinkedStandard.objects.bulk_create(
        LinkedStandard(touchpoint=touchpoint, standard_id=pk) for pk in sorted(wanted - current)
    )
    record_event("blueprint.standards_linked", touchpoint, actor, standards=sorted(wanted))
