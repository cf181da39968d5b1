"""State changes of cases, rules and deliveries: atomic, audit-logged, every case change on its
timeline, emails queued in the same transaction and sent after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pulso.accounts.models import Membership, OrgUnit
from pulso.core import outbox
from pulso.core.access import AnyUser, roles_with, signed_in
from pulso.core.audit import record_event
from pulso.core.models import OutboxEntry
from pulso.feedback.models import Feedback
from pulso.loop import messages, notifications, sla
from pulso.loop.models import (
    PRIORITY_RANK,
    Case,
    CaseEvent,
    Notification,
    Priority,
    Rule,
)
from pulso.loop.priority import assess as assess_priority
from pulso.textanalytics.models import Topic


def case_url(case: Case) -> str:
    return settings.PULSO_BASE_URL.rstrip("/") + reverse("loop:detail", args=[case.pk])


def case_handlers(unit: OrgUnit) -> QuerySet[Membership]:
    """Active members of ``unit`` itself whose role lets them work on cases (the policy says
    which roles), oldest membership first."""
    return (
        unit.memberships.filter(role__in=roles_with("loop.work_case"), user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def handling_unit(unit: OrgUnit | None) -> OrgUnit | None:
    """``unit`` when someone there handles cases, else the nearest unit above it where someone
    does, below the company root (the head office's queue is the last resort, not a step up);
    None when nobody does."""
    while unit is not None and unit.parent_id is not None:
        if case_handlers(unit).exists():
            return unit
        unit = unit.parent
    return None


def default_owner(unit: OrgUnit) -> User | None:
    """The unit's first case handler (by seniority of the membership), else nobody."""
    membership = case_handlers(unit).first()
    return membership.user if membership else None


def add_event(
    case: Case, kind: str, actor: AnyUser | None = None, text: str = "", **data: Any
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=signed_in(actor), text=text, data=data
    )


def _tell_owner(case: Case, subject: str, body: str, kind: str, key: str | None = None) -> None:
    if case.owner is not None:
        notifications.queue_email(kind, case.owner.email, subject, body, dedupe_key=key, case=case)


def _assignment_email(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case #%(number)s assigned to you: %(title)s") % {
            "number": case.pk,
            "title": case.title,
        }
        body = _(
            "You are the owner of case #%(number)s (%(priority)s priority).\n"
            "First contact with the customer due: %(due)s.\n\n%(url)s"
        ) % {
            "number": case.pk,
            "priority": case.get_priority_display(),
            "due": timezone.localtime(case.first_contact_due).strftime("%d/%m/%Y %H:%M"),
            "url": case_url(case),
        }
    _tell_owner(case, subject, body, Notification.Kind.CASE_ASSIGNED)


@transaction.atomic
def do_open_case(
    *,
    title: str,
    unit: OrgUnit,
    priority: str,
    owner: User | None = None,
    actor: AnyUser | None = None,
    now: datetime | None = None,
    reasons: list[str] | None = None,
    **links: Any,
) -> Case:
    """Open a case with SLA deadlines; ``links`` are feedback, customer, touchpoint and rule;
    ``reasons`` name what raised the priority above the rule's (shown in the case's history)."""
    now = now or timezone.now()
    due = sla.deadlines(priority, now)
    case = Case.objects.create(
        title=title[:200],
        unit=unit,
        priority=priority,
        owner=owner,
        first_contact_due=due.first_contact,
        resolution_due=due.resolution,
        created_at=now,
        **links,
    )
    rule = links.get("rule")
    add_event(
        case, CaseEvent.Kind.CREATED, actor, rule=rule.name if rule else "", reasons=reasons or []
    )
    if owner is not None:
        add_event(case, CaseEvent.Kind.ASSIGNED, actor, owner=owner.get_username())
        _assignment_email(case)
    record_event("case.opened", case, actor, unit=unit.pk, priority=priority)
    return case


@transaction.atomic
def do_change_case_status(
    case: Case,
    new_status: str,
    actor: AnyUser | None = None,
    *,
    resolution: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Case:
    """Move a case along its status flow (see ``Case.TRANSITIONS``); ValidationError if not."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.check_transition(new_status, resolution)
    now = now or timezone.now()
    old = case.status
    case.status = new_status
    changed = ["status", "updated_at", *_stamp_status(case, new_status, now)]
    if resolution.strip():
        case.resolution = resolution.strip()
        changed.append("resolution")
    case.save(update_fields=changed)
    add_event(case, CaseEvent.Kind.STATUS, actor, note.strip(), old=old, new=new_status)
    record_event("case.status_changed", case, actor, old=old, new=new_status)
    if new_status == Case.Status.CLOSED:
        from pulso.loop.recovery import invite_to_recovery_survey

        invite_to_recovery_survey(case)
    return case


def _stamp_status(case: Case, new_status: str, now: datetime) -> list[str]:
    """Timestamps a status sets; returns the fields changed."""
    if new_status == Case.Status.CUSTOMER_CONTACTED and case.first_contacted_at is None:
        case.first_contacted_at = now
        return ["first_contacted_at"]
    if new_status == Case.Status.RESOLVED:
        case.resolved_at = now
        return ["resolved_at"]
    if new_status == Case.Status.CLOSED:
        case.closed_at = now
        if case.resolved_at is None:  # closed in one step, with its resolution
            case.resolved_at = now
            return ["closed_at", "resolved_at"]
        return ["closed_at"]
    if new_status == Case.Status.REOPENED:
        case.resolved_at = case.closed_at = None
        case.escalation_level, case.escalated_at = 0, None
        due = sla.deadlines(case.priority, now)
        case.resolution_due, case.resolution_reminded_at = due.resolution, None
        return ["resolved_at", "closed_at", "escalation_level", "escalated_at", "resolution_due",
                "resolution_reminded_at"]  # fmt: skip
    return []


@transaction.atomic
def do_assign_case(case: Case, owner: User | None, actor: AnyUser | None = None) -> Case:
    if case.owner_id == (owner.pk if owner else None):
        return case
    case.owner = owner
    case.save(update_fields=["owner", "updated_at"])
    username = owner.get_username() if owner else ""
    add_event(case, CaseEvent.Kind.ASSIGNED, actor, owner=username)
    record_event("case.assigned", case, actor, owner=username)
    if owner is not None:
        _assignment_email(case)
    return case


@transaction.atomic
def do_bulk_assign_cases(
    cases: list[Case], owner: User | None, actor: AnyUser | None = None
) -> int:
    for case in cases:
        do_assign_case(case, owner, actor)
    return len(cases)


@transaction.atomic
def do_add_case_note(case: Case, text: str, actor: AnyUser | None = None) -> CaseEvent:
    event = add_event(case, CaseEvent.Kind.NOTE, actor, text.strip())
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    record_event("case.note_added", case, actor)
    return event


@transaction.atomic
def do_set_case_priority(case: Case, priority: str, actor: AnyUser | None = None) -> Case:
    """Change the priority; the deadlines follow the new priority's SLA from the opening."""
    if priority == case.priority:
        return case
    old, case.priority = case.priority, priority
    due = sla.deadlines(priority, case.created_at)
    case.first_contact_due, case.resolution_due = due.first_contact, due.resolution
    case.save(update_fields=["priority", "first_contact_due", "resolution_due", "updated_at"])
    add_event(case, CaseEvent.Kind.PRIORITY, actor, old=old, new=priority)
    record_event("case.priority_changed", case, actor, old=old, new=priority)
    return case


@transaction.atomic
def do_set_case_root_cause(case: Case, topic: Topic | None, actor: AnyUser | None = None) -> Case:
    if case.root_cause_id == (topic.pk if topic else None):
        return case
    case.root_cause = topic
    case.save(update_fields=["root_cause", "updated_at"])
    add_event(case, CaseEvent.Kind.ROOT_CAUSE, actor, topic=topic.name_es if topic else "")
    record_event("case.root_cause_set", case, actor, topic=topic.pk if topic else None)
    return case


def raise_priority(case: Case, priority: str, rule: Rule) -> None:
    """A second rule matching the same feedback makes the existing case more urgent, never
    opens another one."""
    if PRIORITY_RANK[priority] > PRIORITY_RANK[case.priority]:  # type: ignore[index]
        do_set_case_priority(case, priority)
    add_event(case, CaseEvent.Kind.RULE, None, rule=rule.name)


@transaction.atomic
def do_escalate_case(case: Case, managers: list[Any], now: datetime) -> Case:
    """Raise the escalation level and tell the managers of that level."""
    case.escalation_level += 1
    case.escalated_at = now
    case.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
    names = [m.get_username() for m in managers]
    add_event(case, CaseEvent.Kind.ESCALATED, None, level=case.escalation_level, to=names)
    record_event("case.escalated", case, None, level=case.escalation_level, to=names)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Overdue case #%(number)s escalated to you: %(title)s") % {
            "number": case.pk,
            "title": case.title,
        }
        body = _("Case #%(number)s of %(unit)s has missed its deadline.\n\n%(url)s") % {
            "number": case.pk,
            "unit": case.unit.name,
            "url": case_url(case),
        }
    key = f"escalation:{case.pk}:{case.escalation_level}:{now:%Y%m%d%H%M}"
    notifications.notify_users(
        Notification.Kind.ESCALATION, managers, subject, body, dedupe_key=key, case=case
    )
    return case


@transaction.atomic
def do_remind_case_owner(case: Case, deadline: str, now: datetime) -> Case:
    """Remind the owner (or, without one, the unit's managers) that a deadline is near."""
    field = "contact_reminded_at" if deadline == "first_contact" else "resolution_reminded_at"
    setattr(case, field, now)
    case.save(update_fields=[field])
    due = case.first_contact_due if deadline == "first_contact" else case.resolution_due
    add_event(case, CaseEvent.Kind.REMINDER, None, deadline=deadline)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reminder: case #%(number)s is due on %(due)s") % {
            "number": case.pk,
            "due": timezone.localtime(due).strftime("%d/%m/%Y %H:%M"),
        }
        body = f"{case.title}\n\n{case_url(case)}"
    people = [case.owner] if case.owner else [m.user for m in case.unit.managers()]
    key = f"reminder:{case.pk}:{deadline}:{now:%Y%m%d%H%M}"
    notifications.notify_users(
        Notification.Kind.REMINDER, people, subject, body, dedupe_key=key, case=case
    )
    return case


@transaction.atomic
def do_resend_delivery(entry: OutboxEntry, actor: AnyUser | None = None) -> OutboxEntry:
    """Queue a failed email or webhook delivery again (from the UI or the admin)."""
    outbox.reset_for_resend(entry)
    record_event("delivery.resent", entry, actor)
    if isinstance(entry, Notification):
        transaction.on_commit(lambda: notifications._enqueue(entry.pk))
    else:
        from pulso.loop import webhooks

        transaction.on_commit(lambda: webhooks._enqueue(entry.pk))
    return entry


@transaction.atomic
def do_save_rule(rule: Rule, actor: AnyUser | None = None, notify_users: Any = None) -> Rule:
    """Create or update a rule; raises ValidationError when its conditions, messages or
    routing are not valid (whichever path wrote them)."""
    created = rule.pk is None
    rule.full_clean()
    rule.save()
    if notify_users is not None:
        rule.notify_users.set(notify_users)
    record_event("rule.created" if created else "rule.updated", rule, actor)
    return rule


class CannotContact(ValueError):
    """The case's customer cannot be written to (no customer, no email, opted out)."""


@transaction.atomic
def do_contact_customer(
    case: Case, template: str, actor: AnyUser | None = None, *, message: str = ""
) -> Notification:
    """Email the case's customer from a contact template (or the message written from it),
    record it on the timeline and mark the case as contacted."""
    from pulso.loop.defaults import CONTACT_TEMPLATES
    from pulso.loop.rules import template_values

    customer = case.customer
    if customer is None or not customer.email:
        raise CannotContact(_("This case's customer has no email address."))
    if customer.unsubscribed_at is not None:
        raise CannotContact(_("This customer asked not to be contacted."))
    chosen = CONTACT_TEMPLATES[template]
    values = template_values(case.feedback) if case.feedback else {}
    values = {**values, "nombre": customer.name or "", "caso": str(case.pk)}
    subject = messages.render(chosen["subject"], values)
    body = messages.render(message.strip() or chosen["body"], values)
    sent = notifications.queue_email(
        Notification.Kind.CUSTOMER_CONTACT, customer.email, subject, body, case=case
    )
    assert sent is not None
    add_event(case, CaseEvent.Kind.CONTACT, actor, body, channel="email", template=template)
    record_event("case.customer_contacted", case, actor, template=template)
    if Case.Status.CUSTOMER_CONTACTED in case.allowed_transitions():
        do_change_case_status(case, Case.Status.CUSTOMER_CONTACTED, actor)
    return sent


class CaseAlreadyOpen(Exception):
    """The feedback already has an open case (one case per piece of feedback)."""

    def __init__(self, case: Case) -> None:
        super().__init__(f"case #{case.pk} is open")
        self.case = case


@transaction.atomic
def do_open_case_for_feedback(item: Feedback, actor: AnyUser) -> Case:
    """A person opens a case about ``item`` by hand: routed and prioritised as the rules do
    (where the experience happened; priority from score, value and wording)."""
    from pulso.loop.rules import case_title, case_unit  # rules opens cases through this module

    existing = Case.objects.select_for_update().filter(feedback=item).open().first()
    if existing is not None:
        raise CaseAlreadyOpen(existing)
    now = timezone.now()
    unit = case_unit(Rule.CaseUnit.EXPERIENCE, item, None)
    if unit is None:
        raise ValueError("no org unit to open the case in")
    assessment = assess_priority(item, Priority.NORMAL, now)
    return do_open_case(
        title=case_title(item),
        unit=unit,
        priority=assessment.priority,
        reasons=assessment.reasons,
        owner=default_owner(unit),
        actor=actor,
        now=now,
        customer=item.customer,
        touchpoint=item.touchpoint,
        feedback=item,
    )
