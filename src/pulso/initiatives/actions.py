"""Saving initiatives and pilots (atomic, audit-logged)."""

from __future__ import annotations

from django.db import transaction

from pulso.core.access import AnyUser
from pulso.core.audit import record_event
from pulso.initiatives.forms import InitiativeForm, PilotForm
from pulso.initiatives.models import Initiative, Pilot


@transaction.atomic
def do_save_initiative(form: InitiativeForm, actor: AnyUser) -> Initiative:
    """Create or update an initiative from a valid form."""
    created = form.instance.pk is None
    initiative: Initiative = form.save()
    record_event(
        "initiatives.created" if created else "initiatives.updated",
        initiative,
        actor,
        status=initiative.status,
    )
    return initiative


@transaction.atomic
def do_save_pilot(form: PilotForm, actor: AnyUser) -> Pilot:
    """Create or update a pilot from a valid form."""
    created = form.instance.pk is None
    pilot: Pilot = form.save()
    record_event(
        "initiatives.pilot_created" if created else "initiatives.pilot_updated",
        pilot,
        actor,
        treated=sorted(pilot.treated_units.values_list("pk", flat=True)),
        control=sorted(pilot.control_units.values_list("pk", flat=True)),
    )
    return pilot
