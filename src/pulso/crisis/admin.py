from django.contrib import admin

from pulso.crisis.models import Incident, IncidentEvent


class EventInline(admin.TabularInline):
    model = IncidentEvent
    extra = 0
    readonly_fields = ["kind", "actor", "text", "created_at"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "org_unit", "status", "owner", "started_at"]
    list_filter = ["status"]
    inlines = [EventInline]
