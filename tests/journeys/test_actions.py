from __future__ import annotations

import pytest

from pulso.core.models import AuditEvent
from pulso.journeys import actions
from pulso.journeys.models import Journey
from tests.conftest import Personas
from tests.factories import FeedbackFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def test_create_journey_gives_a_unique_slug_and_audit_event(personas: Personas) -> None:
    first = actions.do_create_journey("Entrega e instalación", actor=personas.analyst)
    second = actions.do_create_journey("Entrega  e instalación!", actor=personas.analyst)
    assert first.slug == "entrega-e-instalacion"
    assert second.slug == "entrega-e-instalacion-2"
    assert AuditEvent.objects.filter(verb="journey.created").count() == 2
    assert AuditEvent.objects.filter(actor=personas.analyst).count() == 2


def test_stages_and_touchpoints_are_appended_in_order() -> None:
    journey = actions.do_create_journey("Compra online")
    first = actions.do_add_stage(journey, "Búsqueda")
    second = actions.do_add_stage(journey, "Compra")
    tp1 = actions.do_add_touchpoint(first, name="Web", channel="web")
    tp2 = actions.do_add_touchpoint(first, name="App", channel="app", is_moment_of_truth=True)
    assert (first.position, second.position) == (0, 1)
    assert (tp1.position, tp2.position) == (0, 1)
    assert tp2.is_moment_of_truth


def test_stage_without_feedback_is_deleted_with_its_touchpoints() -> None:
    touchpoint = TouchpointFactory()
    stage = touchpoint.stage
    actions.do_delete_stage(stage)
    assert not type(stage).objects.filter(pk=stage.pk).exists()
    assert not type(touchpoint).objects.filter(pk=touchpoint.pk).exists()


def test_stage_with_feedback_cannot_be_deleted_but_can_be_archived() -> None:
    touchpoint = TouchpointFactory(name="Entrega a domicilio")
    FeedbackFactory(touchpoint=touchpoint)
    stage = touchpoint.stage
    with pytest.raises(actions.StageHasFeedback, match="Entrega a domicilio"):
        actions.do_delete_stage(stage)
    assert type(stage).objects.filter(pk=stage.pk).exists()
    actions.do_archive_stage(stage)
    stage.refresh_from_db()
    touchpoint.refresh_from_db()
    assert stage.is_archived and touchpoint.is_archived


def test_touchpoint_with_feedback_cannot_be_deleted() -> None:
    touchpoint = TouchpointFactory()
    FeedbackFactory(touchpoint=touchpoint)
    with pytest.raises(actions.StageHasFeedback):
        actions.do_delete_touchpoint(touchpoint)


def test_move_stage_reorders_siblings() -> None:
    journey = Journey.objects.create(name="J", slug="j")
    a, b, c = (StageFactory(journey=journey, position=i) for i in range(3))
    actions.do_move_stage(c, -1)
    assert list(journey.stages.order_by("position")) == [a, c, b]
    actions.do_move_stage(a, -1)
    assert list(journey.stages.order_by("position")) == [a, c, b]
