"""Comments and invitation counts behind a dashboard's filter, scoped to the user."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Min, Q
from django.utils import timezone

from pulso.accounts.privacy import personal_data
from pulso.core.access import AnyUser
from pulso.feedback.models import Feedback
from pulso.metrics.aggregates import day_bounds
from pulso.metrics.explorer import explorer_records
from pulso.metrics.filters import MetricFilter
from pulso.surveys.models import Invitation


def latest_comments(f: MetricFilter, user: AnyUser, limit: int = 5) -> list[Feedback]:
    """The newest commented survey records behind the filter."""
    found = explorer_records(f, {}, user, kind="responses").exclude(text="")
    found = found.select_related("touchpoint", "org_unit")
    records = list(found.order_by("-received_at", "-pk")[:limit])
    privacy = personal_data(user)
    for record in records:  # shown, never saved
        record.text = privacy.text_at(
            record.text, record.org_unit.path if record.org_unit else None
        )
    return records


def invitation_counts(f: MetricFilter, user: AnyUser) -> dict[str, int]:
    """Delivered and answered invitations created in the period, for the response rate."""
    start, end = day_bounds(f.start, f.end)
    values = {
        "created_at__gte": start,
        "created_at__lt": end,
        "survey__touchpoint__stage__journey": f.journey,
        "survey__touchpoint__stage": f.stage,
        "survey__touchpoint": f.touchpoint,
        "survey": f.survey,
        "channel": f.channel,
        "org_unit__path__startswith": f.unit.path if f.unit else None,
        "survey__audience": f.audience,
    }
    invitations = Invitation.objects.visible_to(user).filter(
        **{k: v for k, v in values.items() if v not in (None, "")}
    )
    delivered = [Invitation.Status.SENT, Invitation.Status.OPENED, Invitation.Status.ANSWERED]
    return invitations.aggregate(
        delivered=Count("id", filter=Q(status__in=delivered)),
        answered=Count("id", filter=Q(status=Invitation.Status.ANSWERED)),
    )


def first_data_day() -> date | None:
    """The local day of the oldest complete feedback record (None before any arrives)."""
    first = Feedback.objects.complete().aggregate(first=Min("received_at"))["first"]
    return timezone.localtime(first).date() if first else None
