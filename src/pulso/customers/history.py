"""One customer's history: invitations, responses and feedback, newest first, in one list
that a Paginator can page through without loading everything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from pulso.customers.models import Customer


@dataclass(frozen=True)
class Event:
    kind: str  # "invitation", "response" or "feedback"
    date: datetime
    item: Any


class Timeline:
    """Merges date-ordered querysets; slicing fetches only the rows up to the slice's end."""

    def __init__(self, sources: list[tuple[str, QuerySet[Any], str]]) -> None:
        self.sources = [
            (kind, qs.order_by(f"-{field}", "-pk"), field) for kind, qs, field in sources
        ]

    def count(self) -> int:
        return sum(qs.count() for _kind, qs, _field in self.sources)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Event]:
        end = window.stop if window.stop is not None else self.count()
        events = [
            Event(kind, getattr(item, field), item)
            for kind, qs, field in self.sources
            for item in qs[:end]
        ]
        events.sort(key=lambda event: event.date, reverse=True)
        return events[window]


def customer_timeline(customer: Customer, user: Any) -> Timeline:
    """The history the user may see: each part goes through ``.visible_to(user)``."""
    from pulso.feedback.models import Feedback
    from pulso.surveys.models import Invitation, Response

    invitations = Invitation.objects.visible_to(user).filter(customer=customer)
    responses = Response.objects.visible_to(user).filter(customer=customer)
    feedback = Feedback.objects.unsolicited().visible_to(user).filter(customer=customer)
    return Timeline(
        [
            ("invitation", invitations.select_related("survey"), "created_at"),
            ("response", responses.select_related("survey", "org_unit"), "submitted_at"),
            ("feedback", feedback.select_related("org_unit"), "received_at"),
        ]
    )
