"""Who an incident affected, read from feedback records: the customers who, in its unit (and
the units below it) during its window, mentioned its topic or passed through its touchpoint."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from pulso.crisis.models import Incident
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback


def affected_feedback(incident: Incident, now: datetime | None = None) -> QuerySet[Feedback]:
    """The feedback records that make their customers affected (complete, with a customer)."""
    start, end = incident.window(now)
    records = Feedback.objects.complete().filter(
        customer__isnull=False,
        received_at__gte=start,
        received_at__lte=end,
        org_unit__path__startswith=incident.org_unit.path,
    )
    which = Q()
    if incident.topic_id is not None:
        # A mention of the topic or of one of its subtopics.
        which |= Q(analysis__mentions__topic=incident.topic_id) | Q(
            analysis__mentions__topic__parent=incident.topic_id
        )
    if incident.touchpoint_id is not None:
        which |= Q(touchpoint=incident.touchpoint_id)
    return records.filter(which) if which else records


def affected_customers(incident: Incident, now: datetime | None = None) -> QuerySet[Customer]:
    """Each affected customer once, by name."""
    ids = affected_feedback(incident, now).values("customer_id")
    return Customer.objects.filter(pk__in=ids).order_by("name", "pk")
