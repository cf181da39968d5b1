from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pulso.core.admin import HTTPS_URL_FIELDS
from pulso.core.forms import JSONField
from pulso.core.models import DeliveryStatus
from pulso.loop import actions
from pulso.loop.models import (
    Case,
    CaseEvent,
    Notification,
    RecoveryInvitation,
    Rule,
    RuleApplication,
    SlaPolicy,
    Webhook,
    WebhookDelivery,
)


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin[Rule]):
    formfield_overrides = {models.JSONField: {"form_class": JSONField}}
    list_display = ["name", "action", "is_active", "position", "is_default"]
    list_filter = ["action", "is_active"]
    filter_horizontal = ["notify_users"]


@admin.register(RuleApplication)
class RuleApplicationAdmin(admin.ModelAdmin[RuleApplication]):
    list_display = ["rule", "feedback", "applied_at"]
    raw_id_fields = ["feedback"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = ["priority", "first_contact_hours", "resolution_hours", "reminder_hours"]


class CaseEventInline(admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    extra = 0
    readonly_fields = ["kind", "actor", "text", "data", "created_at"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["__str__", "status", "priority", "unit", "owner", "resolution_due"]
    list_filter = ["status", "priority"]
    search_fields = ["title"]
    raw_id_fields = ["feedback", "customer", "owner"]
    inlines = [CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin[CaseEvent]):
    list_display = ["case", "kind", "actor", "created_at"]
    list_filter = ["kind"]


@admin.action(description=_("Send again"))
def resend(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    entries = list(queryset.filter(status=DeliveryStatus.FAILED))
    for entry in entries:
        actions.do_resend_delivery(entry, request.user)
    modeladmin.message_user(request, _("%d queued again.") % len(entries), messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["to_email", "subject", "kind", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "kind"]
    actions = [resend]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "url", "is_active"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ["event", "webhook", "status", "attempts", "last_status_code", "next_attempt_at"]
    list_filter = ["status", "webhook"]
    actions = [resend]


@admin.register(RecoveryInvitation)
class RecoveryInvitationAdmin(admin.ModelAdmin[RecoveryInvitation]):
    list_display = ["case", "sent_at", "answered_at", "resolved", "score"]
