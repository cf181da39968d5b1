from django.contrib import admin

from pulso.initiatives.models import Initiative, Pilot


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin[Initiative]):
    list_display = ["title", "org_unit", "status", "owner", "created_at"]
    list_filter = ["status"]


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin[Pilot]):
    list_display = ["name", "initiative", "metric", "after_start", "after_end"]
