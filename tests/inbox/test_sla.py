"""First-answer and resolution deadlines in office hours; escalation when one is missed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from pulso.accounts.models import Role
from pulso.inbox import jobs, notices, office_hours
from pulso.inbox.actions import do_close, do_reply, do_start_conversation
from pulso.inbox.models import Conversation, ConversationEvent
from tests.conftest import Org, Personas
from tests.factories import MembershipFactory, UserFactory

MADRID = ZoneInfo("Europe/Madrid")


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        (
            datetime(2026, 12, 4, 17, 30, tzinfo=MADRID),
            60,
            datetime(2026, 12, 7, 9, 30, tzinfo=MADRID),
        ),  # Friday → Monday
        (
            datetime(2026, 12, 2, 7, 0, tzinfo=MADRID),
            60,
            datetime(2026, 12, 2, 10, 0, tzinfo=MADRID),
        ),  # before opening
        (
            datetime(2026, 12, 2, 10, 0, tzinfo=MADRID),
            24 * 60,
            datetime(2026, 12, 4, 16, 0, tzinfo=MADRID),
        ),  # 9 h a day
        (
            datetime(2026, 12, 5, 12, 0, tzinfo=MADRID),
            30,
            datetime(2026, 12, 7, 9, 30, tzinfo=MADRID),
        ),  # a Saturday
    ],
)
def test_deadlines_count_office_hours(
    settings: Any, start: datetime, minutes: int, due: datetime
) -> None:
    settings.PULSO_INBOX_OFFICE_HOURS = "1-5 09:00-18:00"
    found = office_hours.add_working_time(start, timedelta(minutes=minutes))
    assert found == due


def test_always_open_counts_plain_time(settings: Any) -> None:
    start = datetime(2026, 12, 5, 23, 0, tzinfo=MADRID)
    assert office_hours.add_working_time(start, timedelta(hours=2)) == start + timedelta(hours=2)


def test_a_waiting_conversation_gets_both_deadlines_and_the_first_answer_stops_one(
    settings: Any, personas: Personas
) -> None:
    settings.PULSO_INBOX_FIRST_RESPONSE_MINUTES = 30
    settings.PULSO_INBOX_RESOLUTION_HOURS = 8
    conversation = do_start_conversation("email", email="lucia@example.com")
    started = conversation.created_at
    assert conversation.first_response_due == started + timedelta(minutes=30)
    assert conversation.resolution_due == started + timedelta(hours=8)
    assert conversation.sla_state() == "due"
    assert conversation.sla_state(started + timedelta(minutes=31)) == "overdue"
    do_reply(conversation, personas.admin, "Hola")
    conversation.refresh_from_db()
    assert conversation.first_responded_at is not None
    assert conversation.sla_state(started + timedelta(minutes=31)) == "due"
    assert conversation.sla_state(started + timedelta(hours=9)) == "overdue"
    do_close(conversation, actor=personas.admin)
    conversation.refresh_from_db()
    assert conversation.sla_state(started + timedelta(hours=9)) == ""


def test_the_assistants_chat_has_no_deadline_until_handed_off(knowledge: Any) -> None:
    from pulso.inbox.actions import do_receive_message

    conversation = do_start_conversation("chat")
    assert conversation.resolution_due is None and conversation.sla_state() == ""
    do_receive_message(conversation, "Quiero hablar con una persona")
    conversation.refresh_from_db()
    assert conversation.first_response_due is not None
    assert conversation.first_response_due > conversation.handed_off_at  # type: ignore[operator]


def test_list_and_page_show_overdue(client: Client, org: Org, personas: Personas) -> None:
    late = do_start_conversation("email", name="Tardía", org_unit=org.north_store)
    Conversation.objects.filter(pk=late.pk).update(
        first_response_due=late.created_at - timedelta(minutes=1)
    )
    on_time = do_start_conversation("email", name="A tiempo", org_unit=org.north_store)
    client.force_login(personas.admin)
    rows = client.get("/inbox/").content.decode().split("<tr")
    late_row = next(r for r in rows if "Tardía" in r)
    on_time_row = next(r for r in rows if "A tiempo" in r)
    assert "Vencida" in late_row and "Vencida" not in on_time_row
    assert "Primera respuesta" in on_time_row
    assert "Vencida" in client.get(f"/inbox/{late.pk}/").content.decode()
    assert on_time.sla_state() == "due"


def _overdue(org: Org) -> Conversation:
    conversation = do_start_conversation("email", name="Lucía", org_unit=org.north_store)
    past = conversation.created_at - timedelta(hours=1)
    Conversation.objects.filter(pk=conversation.pk).update(first_response_due=past)
    return conversation


def test_escalation_goes_up_the_tree_like_cases(
    settings: Any, org: Org, personas: Personas
) -> None:
    settings.PULSO_INBOX_ESCALATE_AGAIN_HOURS = 8
    region_boss = MembershipFactory(
        user=UserFactory(username="jefa-norte"), unit=org.north, role=Role.UNIT_MANAGER
    ).user
    conversation = _overdue(org)
    now = conversation.created_at + timedelta(minutes=5)
    assert jobs.monitor_slas(now) == 1
    assert jobs.monitor_slas(now + timedelta(hours=1)) == 0  # not again before the delay
    notices.send_due(now + timedelta(hours=1))
    assert [m.to for m in mail.outbox] == [[personas.store_manager.email]]
    assert f"#{conversation.pk}" in mail.outbox[0].subject
    assert jobs.monitor_slas(now + timedelta(hours=9)) == 1
    notices.send_due(now + timedelta(hours=9))
    assert mail.outbox[-1].to == [region_boss.email]
    conversation.refresh_from_db()
    assert conversation.escalation_level == 2
    events = ConversationEvent.objects.filter(conversation=conversation, kind="escalated")
    assert [e.note for e in events] == ["manager", "jefa-norte"]


def test_an_answered_and_resolved_conversation_is_not_escalated(
    org: Org, personas: Personas
) -> None:
    conversation = _overdue(org)
    do_reply(conversation, personas.store_manager, "Hola Lucía")
    assert jobs.monitor_slas(conversation.created_at + timedelta(minutes=5)) == 0
    do_close(conversation, actor=personas.store_manager)
    assert jobs.monitor_slas(conversation.created_at + timedelta(days=30)) == 0
