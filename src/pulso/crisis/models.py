"""The crisis room: incidents (opened from a crisis alert or by hand), their timeline, and the
proactive messages sent to the customers they affected (one per customer, never twice)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit
from pulso.alerts.models import Alert
from pulso.core.access import RestrictedQuerySet
from pulso.customers.models import Customer
from pulso.journeys.models import Touchpoint
from pulso.loop.models import Notification
from pulso.textanalytics.models import Topic

VIEW = "crisis.view_incident"
MANAGE = "crisis.manage_incident"


class IncidentQuerySet(RestrictedQuerySet):
    unit_lookup = "org_unit__path"
    view_action = VIEW

    def open(self) -> IncidentQuerySet:
        return self.exclude(status=Incident.Status.RESOLVED)


class Incident(models.Model):
    """Something going wrong for many customers at once, in a unit and the units below it."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("incident status", "Open")
        INVESTIGATING = "investigating", _("Investigating")
        MITIGATED = "mitigated", _("Mitigated")
        RESOLVED = "resolved", pgettext_lazy("incident status", "Resolved")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    touchpoint = models.ForeignKey(
        Touchpoint, verbose_name=_("touchpoint"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    alert = models.OneToOneField(
        Alert, verbose_name=_("alert"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="incident",
    )  # fmt: skip
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    postmortem = models.TextField(_("post-mortem"), blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED

    def window(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """When customers were exposed: from its start to its end (or until now)."""
        return self.started_at, self.ended_at or now or timezone.now()

    def allowed_transitions(self) -> list[str]:
        """Any other status; resolving needs a resolution (checked by the action)."""
        return [s for s in self.Status.values if s != self.status]


class IncidentEvent(models.Model):
    """One line of an incident's timeline."""

    class Kind(models.TextChoices):
        OPENED = "opened", pgettext_lazy("incident event", "Opened")
        NOTE = "note", _("Note")
        STATUS = "status", _("Status change")
        ASSIGNED = "assigned", _("Owner change")
        MESSAGE = "message", _("Message to affected customers")
        POSTMORTEM = "postmortem", _("Post-mortem")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident_id} · {self.kind}"

    @property
    def change(self) -> str:
        """A status change as "Abierta → Resuelta" in the active language."""
        labels = dict(Incident.Status.choices)
        before, after = self.data.get("before", ""), self.data.get("after", "")
        return f"{labels.get(before, before)} → {labels.get(after, after)}"


class IncidentMessage(models.Model):
    """The proactive message one affected customer got about one incident (at most one)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="messages")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    template = models.CharField(_("template"), max_length=40)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sms_status = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message to an affected customer")
        verbose_name_plural = _("messages to affected customers")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "customer"], name="crisis_one_message_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.customer_id}"
