from django.contrib import admin

from pulso.pulses.models import Pulse, PulseItem


@admin.register(Pulse)
class PulseAdmin(admin.ModelAdmin[Pulse]):
    """Only the pulses themselves: responses are read through the suppressed results alone."""

    list_display = ["name", "org_unit", "is_open", "created_at"]


@admin.register(PulseItem)
class PulseItemAdmin(admin.ModelAdmin[PulseItem]):
    """The statements of a pulse. Invitations, responses and answers have no admin pages: they
    are read only through the suppressed results, whoever reads them."""

    list_display = ["text", "pulse", "position"]
    list_filter = ["pulse"]
