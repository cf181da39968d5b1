"""What retention means for feedback records (registered in ``FeedbackConfig.ready``)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from pulso.customers.actions import do_erase_customer
from pulso.customers.models import Customer
from pulso.feedback.events import publish_recorded
from pulso.feedback.models import Feedback
from pulso.lib.personal_data import mask


def mask_comment_details(cutoff: datetime) -> int:
    """Personal details inside the text of records received before ``cutoff`` are masked; the
    changed records are announced again so their analysis and search follow."""
    records = Feedback.objects.filter(received_at__lt=cutoff).exclude(text="")
    changed: list[int] = []
    for record in records.only("pk", "text").iterator(2000):
        text = mask(record.text)
        if text != record.text:
            Feedback.objects.filter(pk=record.pk).update(text=text)
            changed.append(record.pk)
    publish_recorded(changed)
    return len(changed)


def erase_inactive_customers(cutoff: datetime) -> int:
    """Customers created before ``cutoff`` with no feedback since then, not yet erased, are
    erased (``PULSO_RETENTION_BATCH`` per run; the rest on the next runs). The search index
    is merged once after the whole pass (``core.retention.after_expiry``), not per customer."""
    recent = Feedback.objects.filter(customer_id=OuterRef("pk"), received_at__gte=cutoff)
    holding_data = ~Q(name="") | ~Q(email="") | ~Q(phone="")
    inactive = (
        Customer.objects.filter(holding_data, created_at__lt=cutoff)
        .exclude(Exists(recent))
        .order_by("pk")[: settings.PULSO_RETENTION_BATCH]
    )
    erased = 0
    for customer in inactive:
        do_erase_customer(customer, in_pass=True)
        erased += 1
    return erased
