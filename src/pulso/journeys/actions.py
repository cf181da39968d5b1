"""State changes of journeys, stages and touchpoints (atomic and audit-logged)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pulso.core.access import AnyUser
from pulso.core.audit import record_event
from pulso.journeys.models import BLUEPRINT_FIELDS, Journey, Stage, Touchpoint


class StageHasFeedback(Exception):
    """Raised when deleting a stage (or touchpoint) would destroy feedback history."""


def unique_journey_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:140] or "recorrido"
    slug, n = base, 2
    others = Journey.objects.all() if exclude_pk is None else Journey.objects.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def do_create_journey(name: str, description: str = "", actor: AnyUser | None = None) -> Journey:
    position = Journey.objects.count()
    journey = Journey.objects.create(
        name=name, slug=unique_journey_slug(name), description=description, position=position
    )
    record_event("journey.created", journey, actor)
    return journey


@transaction.atomic
def do_add_stage(
    journey: Journey, name: str, description: str = "", actor: AnyUser | None = None
) -> Stage:
    stage = Stage.objects.create(
        journey=journey,
        name=name,
        description=description,
        position=journey.next_stage_position(),
    )
    record_event("stage.created", stage, actor, journey=journey.pk)
    return stage


@transaction.atomic
def do_add_touchpoint(stage: Stage, actor: AnyUser | None = None, **fields: Any) -> Touchpoint:
    touchpoint = Touchpoint.objects.create(
        stage=stage, position=stage.next_touchpoint_position(), **fields
    )
    record_event("touchpoint.created", touchpoint, actor, stage=stage.pk)
    return touchpoint


@transaction.atomic
def do_delete_stage(stage: Stage, actor: AnyUser | None = None) -> None:
    """Delete a stage and its touchpoints, unless any touchpoint already has feedback."""
    blocked = stage.touchpoints_with_feedback()
    if blocked:
        names = ", ".join(tp.name for tp in blocked)
        raise StageHasFeedback(
            _(
                "The stage cannot be deleted because these touchpoints already have "
                "feedback: %(names)s. Archive the stage instead."
            )
            % {"names": names}
        )
    record_event("stage.deleted", stage, actor, journey=stage.journey_id)
    stage.delete()


@transaction.atomic
def do_delete_touchpoint(touchpoint: Touchpoint, actor: AnyUser | None = None) -> None:
    if touchpoint.has_feedback():
        raise StageHasFeedback(
            _("The touchpoint already has feedback and cannot be deleted. Archive it instead.")
        )
    record_event("touchpoint.deleted", touchpoint, actor, stage=touchpoint.stage_id)
    touchpoint.delete()


@transaction.atomic
def do_archive_stage(stage: Stage, actor: AnyUser | None = None) -> None:
    stage.is_archived = True
    stage.save(update_fields=["is_archived"])
    stage.touchpoints.update(is_archived=True)
    record_event("stage.archived", stage, actor)


@transaction.atomic
def do_move_stage(stage: Stage, offset: int, actor: AnyUser | None = None) -> None:
    """Move a stage left (-1) or right (+1) within its journey."""
    siblings = list(stage.journey.stages.order_by("position", "id"))
    index = siblings.index(stage)
    target = max(0, min(len(siblings) - 1, index + offset))
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    record_event("stage.moved", stage, actor, position=target)


@transaction.atomic
def do_update_blueprint(
    touchpoint: Touchpoint, actor: AnyUser | None = None, **fields: str
) -> Touchpoint:
    """Save the blueprint lanes of a touchpoint (only the ones given), audit-logged."""
    changed = [name for name in BLUEPRINT_FIELDS if name in fields]
    for name in changed:
        setattr(touchpoint, name, fields[name])
    touchpoint.save(update_fields=changed)
    record_event("touchpoint.blueprint_changed", touchpoint, actor, fields=changed)
    return touchpoint
