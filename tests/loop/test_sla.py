"""SLA monitoring: reminders before a deadline, escalation to the manager, then their manager."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from pulso.loop import actions, jobs, notifications
from pulso.loop.models import Case, CaseEvent, SlaPolicy
from tests.conftest import Org
from tests.loop.conftest import Loop


def open_case(org: Org, hours_ago: float, agent: object = None) -> Case:
    SlaPolicy.objects.update_or_create(
        priority="normal",
        defaults={"first_contact_hours": 24, "resolution_hours": 72, "reminder_hours": 4,
                  "escalate_again_hours": 24},
    )  # fmt: skip
    opened = timezone.now() - timedelta(hours=hours_ago)
    return actions.do_open_case(
        title="Frigorífico roto", unit=org.north_store, priority="normal", owner=agent, now=opened
    )


def escalations(case: Case) -> list[tuple[int, list[str]]]:
    events = case.events.filter(kind=CaseEvent.Kind.ESCALATED)
    return [(e.data["level"], e.data["to"]) for e in events]


def test_an_overdue_case_escalates_to_the_manager_then_the_managers_manager(
    org: Org, loop: Loop
) -> None:
    case = open_case(org, hours_ago=25)  # first contact was due 1 h ago
    now = timezone.now()

    jobs.monitor_slas(now)
    jobs.monitor_slas(now + timedelta(hours=1))  # not yet time for the next level
    assert escalations(case) == [(1, ["manager"])]

    jobs.monitor_slas(now + timedelta(hours=25))
    jobs.monitor_slas(now + timedelta(hours=26))
    assert escalations(case) == [(1, ["manager"]), (2, ["region"])]

    notifications.send_due(now + timedelta(hours=27))
    recipients = [m.to[0] for m in mail.outbox if "escalado" in m.subject]
    assert recipients == [loop.store_manager.email, loop.region_manager.email]


def test_a_case_contacted_in_time_is_not_escalated_until_resolution_is_late(
    org: Org, loop: Loop
) -> None:
    case = open_case(org, hours_ago=2)
    actions.do_change_case_status(case, "customer_contacted")
    now = timezone.now()
    jobs.monitor_slas(now + timedelta(hours=30))
    assert escalations(case) == []
    jobs.monitor_slas(now + timedelta(hours=71))
    assert [level for level, _to in escalations(case)] == [1]


def test_owner_is_reminded_once_before_the_deadline(org: Org, loop: Loop) -> None:
    case = open_case(org, hours_ago=21, agent=loop.store_manager)  # contact due in 3 h
    now = timezone.now()
    assert jobs.monitor_slas(now) == {"reminders": 1, "escalations": 0}
    assert jobs.monitor_slas(now + timedelta(minutes=15)) == {"reminders": 0, "escalations": 0}
    reminder = case.events.get(kind=CaseEvent.Kind.REMINDER)
    assert reminder.data == {"deadline": "first_contact"}
    notifications.send_due()
    assert [m.to for m in mail.outbox if "Recordatorio" in m.subject] == [
        [loop.store_manager.email]
    ]


def test_resolved_cases_are_left_alone(org: Org, loop: Loop) -> None:
    case = open_case(org, hours_ago=100)
    actions.do_change_case_status(case, "in_progress")
    actions.do_change_case_status(case, "resolved", resolution="Hecho")
    assert jobs.monitor_slas(timezone.now()) == {"reminders": 0, "escalations": 0}
