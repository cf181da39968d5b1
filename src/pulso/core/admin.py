from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from pulso.core.models import (
    AuditEvent,
    BulkWrite,
    PendingEvent,
    RetentionMark,
    ScheduledJob,
    WorkerHeartbeat,
)

# For admin classes of models with URL fields: an address typed without a scheme is read as
# https:// (Django 6's default, said here so that Django 5.2 forms do not warn).
HTTPS_URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "object_type", "object_repr"]
    list_filter = ["verb", "object_type"]
    search_fields = ["object_repr", "verb"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin[ScheduledJob]):
    list_display = ["name", "cron", "is_active", "last_run_at", "next_run_at"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]


@admin.register(PendingEvent)
class PendingEventAdmin(admin.ModelAdmin[PendingEvent]):
    """Events not yet turned into tasks: a list that grows means no worker is running."""

    list_display = ["pk", "name", "created_at"]
    list_filter = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PendingEvent | None = None) -> bool:
        return False


@admin.register(RetentionMark)
class RetentionMarkAdmin(admin.ModelAdmin[RetentionMark]):
    """The last cutoff the retention job applied to each data kind (set in the environment)."""

    list_display = ["kind", "through", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RetentionMark | None = None) -> bool:
        return False


@admin.register(BulkWrite)
class BulkWriteAdmin(admin.ModelAdmin[BulkWrite]):
    """Markers that exist only inside a bulk-writing transaction: this list is empty."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: BulkWrite | None = None) -> bool:
        return False
