"""Shared records: the audit trail, scheduled jobs, running workers, the outbox's bookkeeping."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from croniter import croniter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change made through an action: who did what to which object."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type} {self.object_repr}"


class RetentionMark(models.Model):
    """How far back one data kind has been expired by the retention job."""

    kind = models.CharField(_("data kind"), max_length=40, unique=True)
    through = models.DateTimeField(_("expired up to"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last run"), auto_now=True)

    class Meta:
        verbose_name = _("retention mark")
        verbose_name_plural = _("retention marks")

    def __str__(self) -> str:
        return self.kind


def validate_cron(value: str) -> None:
    if not croniter.is_valid(value):
        raise ValidationError(
            _("“%(value)s” is not a valid cron expression."), params={"value": value}
        )


class ScheduledJob(models.Model):
    """A periodic job (cron expression); ``next_run_at`` survives restarts of the worker."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    cron = models.CharField(_("cron expression"), max_length=100, validators=[validate_cron])
    is_active = models.BooleanField(_("active"), default=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cron})"


class WorkerHeartbeat(models.Model):
    """A running ``pulso worker``: tasks it claimed are retried once its heartbeat stops."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxQuerySet(models.QuerySet[Any]):
    def due(self, now: datetime) -> OutboxQuerySet:
        return self.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


class OutboxEntry(models.Model):
    """Delivery bookkeeping shared by emails and webhooks: retried, then visibly failed."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        abstract = True


class PendingEvent(models.Model):
    """A published event waiting for the worker to queue its subscribers' task.

    Written in the publishing transaction (it commits or rolls back with the change it
    announces); ``pulso worker`` turns pending events into tasks within a second, merging the
    payloads of events that can be merged (see :mod:`pulso.core.events`), and deletes them.
    """

    name = models.CharField(_("event"), max_length=100)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("pending event")
        verbose_name_plural = _("pending events")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class BulkWrite(models.Model):
    """A row here, inside a writing transaction only, marks that transaction's inserts as a
    bulk write (SQLite; PostgreSQL uses a transaction-local setting): row triggers that keep
    derived data skip them, and the data is kept once per batch (:mod:`pulso.core.bulk`)."""

    class Meta:
        verbose_name = _("bulk write")
        verbose_name_plural = _("bulk writes")

    def __str__(self) -> str:
        return f"bulk write {self.pk}"
