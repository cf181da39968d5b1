from django.contrib import admin

from pulso.crisis.models import Incident, IncidentEvent, IncidentMessage


class EventInline(admin.TabularInline):
    model = IncidentEvent
    extra = 0
    readonly_fields = ["kind", "actor", "text", "created_at"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "org_unit", "status", "owner", "started_at"]
    list_filter = ["status"]
    inlines = [EventInline]


@admin.register(IncidentEvent)
class IncidentEventAdmin(admin.ModelAdmin):
    list_display = ["incident", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["incident", "actor"]
    raw_id_fields = ["incident", "actor"]


@admin.register(IncidentMessage)
class IncidentMessageAdmin(admin.ModelAdmin):
    """The proactive messages sent: one per customer, incident and template."""

    list_display = ["incident", "customer", "channel", "template", "sms_status", "created_at"]
    list_filter = ["channel", "template"]
    list_select_related = ["incident", "customer"]
    raw_id_fields = ["incident", "customer", "notification"]
