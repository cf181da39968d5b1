"""State changes of the crisis room: open an incident (by hand or from an alert), assign it,
add notes, change its status, message the affected customers once each, write its post-mortem.
Each runs atomically, adds a line to the incident's timeline and to the audit trail."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pulso.accounts.models import OrgUnit
from pulso.alerts.models import Alert, AlertKind
from pulso.core import access
from pulso.core.access import AnyUser, User, signed_in
from pulso.core.audit import record_event
from pulso.crisis import messages
from pulso.crisis.affected import affected_customers
from pulso.crisis.models import VIEW, Incident, IncidentEvent, IncidentMessage
from pulso.customers.models import Customer
from pulso.journeys.models import Touchpoint
from pulso.loop.models import Notification
from pulso.loop.notifications import queue_email
from pulso.textanalytics.models import Topic


def _event(
    incident: Incident, kind: str, actor: AnyUser | None, text: str = "", **data: Any
) -> None:
    IncidentEvent.objects.create(
        incident=incident, kind=kind, actor=signed_in(actor), text=text, data=data
    )
    record_event(f"crisis.{kind}", incident, actor, **data)


@transaction.atomic
def do_open_incident(
    title: str,
    unit: OrgUnit,
    actor: AnyUser | None,
    *,
    started_at: datetime | None = None,
    topic: Topic | None = None,
    touchpoint: Touchpoint | None = None,
    description: str = "",
    alert: Alert | None = None,
) -> Incident:
    """A new open incident; its window starts at ``started_at`` (by default now)."""
    incident = Incident.objects.create(
        title=title[:200], org_unit=unit, topic=topic, touchpoint=touchpoint, alert=alert,
        description=description, started_at=started_at or timezone.now(),
    )  # fmt: skip
    _event(
        incident, IncidentEvent.Kind.OPENED, actor, description, alert=alert.pk if alert else None
    )
    return incident


def _alert_topic(alert: Alert) -> Topic | None:
    detail = alert.detail
    if detail.get("topic_id"):
        return Topic.objects.filter(pk=detail["topic_id"]).first()
    if detail.get("topic"):  # raised before alerts kept the topic's id
        return Topic.objects.filter(name_es=detail["topic"], parent=None).first()
    return None


def do_open_incident_from_alert(alert: Alert, actor: AnyUser | None) -> Incident:
    """The alert's incident: opened once, starting on the alert's day, about its topic."""
    existing = Incident.objects.filter(alert=alert).first()
    if existing is not None:
        return existing
    start = timezone.make_aware(datetime.combine(alert.day, time.min))
    description = ""
    if alert.kind == AlertKind.SPIKE:
        description = _("%(count)s on %(day)s where %(expected).1f were expected.") % {
            "count": alert.detail.get("count"), "day": alert.day.isoformat(),
            "expected": float(alert.detail.get("expected", 0.0)),
        }  # fmt: skip
    try:
        return do_open_incident(
            alert.title, alert.unit, actor, started_at=start, topic=_alert_topic(alert),
            description=description, alert=alert,
        )  # fmt: skip
    except IntegrityError:  # someone opened it at the same moment
        return Incident.objects.get(alert=alert)


@transaction.atomic
def do_assign_incident(incident: Incident, owner: User | None, actor: AnyUser | None) -> Incident:
    """Give the incident an owner, who must be able to see it (or none)."""
    if owner is not None and not access.can(owner, VIEW, incident):
        raise ValidationError(_("This person may not see this incident."))
    incident.owner = owner
    incident.save(update_fields=["owner"])
    name = (owner.get_full_name() or owner.username) if owner else ""
    _event(incident, IncidentEvent.Kind.ASSIGNED, actor, owner=name)
    return incident


@transaction.atomic
def do_add_incident_note(incident: Incident, text: str, actor: AnyUser | None) -> IncidentEvent:
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the note."))
    _event(incident, IncidentEvent.Kind.NOTE, actor, text)
    return incident.events.order_by("-pk").first()  # type: ignore[return-value]


@transaction.atomic
def do_change_incident_status(
    incident: Incident, status: str, actor: AnyUser | None, *, resolution: str = "", note: str = ""
) -> Incident:
    """Move the incident to ``status``; resolving it needs a resolution and closes its window."""
    if status not in incident.allowed_transitions():
        raise ValidationError(_("The incident cannot move to that status."))
    fields = ["status", "resolved_at", "ended_at", "resolution"]
    if status == Incident.Status.RESOLVED:
        if not (resolution.strip() or incident.resolution):
            raise ValidationError(_("Say how the incident was resolved."))
        incident.resolution = resolution.strip() or incident.resolution
        incident.resolved_at = timezone.now()
        incident.ended_at = incident.ended_at or incident.resolved_at
    else:
        incident.resolved_at = None
    before, incident.status = incident.status, status
    incident.save(update_fields=fields)
    _event(incident, IncidentEvent.Kind.STATUS, actor, note.strip(), before=before, after=status)
    return incident


@transaction.atomic
def do_write_postmortem(incident: Incident, text: str, actor: AnyUser | None) -> Incident:
    incident.postmortem = text.strip()
    incident.save(update_fields=["postmortem"])
    _event(incident, IncidentEvent.Kind.POSTMORTEM, actor, incident.postmortem)
    return incident


def _values(incident: Incident, customer: Customer) -> dict[str, str]:
    company = OrgUnit.objects.filter(parent=None).order_by("path").first()
    return {
        "nombre": customer.name, "incidencia": incident.title, "unidad": incident.org_unit.name,
        "empresa": company.name if company else "",
    }  # fmt: skip


def _send(incident: Incident, customer: Customer, template: str, channel: str) -> bool:
    """One message to one customer, unless they already had one about this incident."""
    chosen = messages.TEMPLATES[template]
    values = _values(incident, customer)
    try:
        with transaction.atomic():
            sent = IncidentMessage.objects.create(
                incident=incident, customer=customer, channel=channel, template=template
            )
    except IntegrityError:
        return False
    if channel == IncidentMessage.Channel.EMAIL:
        sent.notification = queue_email(
            Notification.Kind.CUSTOMER_CONTACT, customer.email,
            messages.render(chosen["subject"], values), messages.render(chosen["body"], values),
            dedupe_key=f"incident:{incident.pk}:{customer.pk}",
        )  # fmt: skip
        sent.save(update_fields=["notification"])
    else:
        from pulso.crisis.tasks import send_sms

        text = messages.render(chosen["sms"], values)
        transaction.on_commit(lambda: send_sms.enqueue(sent.pk, text))
    return True


@transaction.atomic
def do_message_affected_customers(
    incident: Incident, template: str, channel: str, actor: AnyUser | None
) -> int:
    """Send the template to every affected customer reachable on ``channel`` who has not had a
    message about this incident yet (and has not unsubscribed); returns how many were sent."""
    if template not in messages.TEMPLATES or channel not in IncidentMessage.Channel.values:
        raise ValidationError(_("Choose a template and a channel."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    customers = affected_customers(incident).filter(unsubscribed_at__isnull=True)
    reachable = [c for c in customers if c.address_for(channel)]
    sent = sum(_send(incident, c, template, channel) for c in reachable)
    _event(
        incident, IncidentEvent.Kind.MESSAGE, actor, messages.render(
            messages.TEMPLATES[template]["body" if channel == "email" else "sms"],
            {"nombre": "{nombre}", "incidencia": incident.title, "unidad": incident.org_unit.name},
        ), template=template, channel=channel, sent=sent,
    )  # fmt: skip
    return sent
