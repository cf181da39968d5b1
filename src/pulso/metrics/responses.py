"""The responses, feedback items and comment analyses behind a filter, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from pulso.metrics.aggregates import day_bounds
from pulso.metrics.filters import MetricFilter
from pulso.surveys.models import Invitation, Response


def response_conditions(f: MetricFilter, prefix: str = "") -> Q:
    """The filter as conditions on Response (``prefix`` reaches it from another model)."""
    start, end = day_bounds(f.start, f.end)
    values = {
        "is_complete": True,
        "submitted_at__gte": start,
        "submitted_at__lt": end,
        "journey": f.journey,
        "touchpoint__stage": f.stage,
        "touchpoint": f.touchpoint,
        "channel": f.channel,
        "segment": f.segment,
        "survey": f.survey,
        "org_unit__path__startswith": f.unit.path if f.unit else None,
        "survey__audience": f.audience,
    }
    return Q(**{f"{prefix}{k}": v for k, v in values.items() if v not in (None, "")})


def responses(f: MetricFilter, user: Any) -> QuerySet[Response]:
    return Response.objects.visible_to(user).filter(response_conditions(f))


def latest_comments(f: MetricFilter, user: Any, limit: int = 5) -> list[Response]:
    found = responses(f, user).exclude(comment="").select_related("touchpoint", "org_unit")
    return list(found.order_by("-submitted_at")[:limit])


def invitation_counts(f: MetricFilter, user: Any) -> dict[str, int]:
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
