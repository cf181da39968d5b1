from django.contrib import admin

from pulso.pulses.models import Pulse


@admin.register(Pulse)
class PulseAdmin(admin.ModelAdmin[Pulse]):
    """Only the pulses themselves: responses are read through the suppressed results alone."""

    list_display = ["name", "org_unit", "is_open", "created_at"]
