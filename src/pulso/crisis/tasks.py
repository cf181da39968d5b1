"""Background tasks of the crisis room (django-tasks). They take ids and are idempotent."""

from __future__ import annotations

from django_tasks import task

from pulso.crisis.models import IncidentMessage
from pulso.surveys.distribution.sms import get_sms_provider


@task()
def send_sms(message_id: int, text: str) -> str:
    """Send one affected customer's SMS once (claimed by stamping its status)."""
    claimed = IncidentMessage.objects.filter(pk=message_id, sms_status="").update(
        sms_status="sending"
    )
    if not claimed:
        return ""
    message = IncidentMessage.objects.select_related("customer").get(pk=message_id)
    result = get_sms_provider().send(
        message.customer.phone, text, f"incident-{message.incident_id}"
    )
    message.sms_status = result.status
    message.save(update_fields=["sms_status"])
    return result.status
