"""One customer's history, newest first, in one list that a Paginator can page through without
loading everything. The apps above customers register what it shows (invitations, responses,
feedback) in their ``AppConfig.ready()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from pulso.core.access import AnyUser
from pulso.customers.models import Customer


@dataclass(frozen=True)
class HistorySource:
    """One kind of event in a customer's history, registered by the app that owns it."""

    kind: str
    template: str  # renders one event, given as ``item``
    date_field: str
    events: Callable[[Customer, Any], QuerySet[Any]]  # the customer's events the user may see


_sources: list[HistorySource] = []


def register_history_source(source: HistorySource) -> None:
    """Add a kind of event to every customer's history (from the owning app's ``ready()``)."""
    if source.kind not in {known.kind for known in _sources}:
        _sources.append(source)


@dataclass(frozen=True)
class Event:
    kind: str
    date: datetime
    item: Any
    template: str


class Timeline:
    """Merges date-ordered querysets; slicing fetches only the rows up to the slice's end."""

    def __init__(self, sources: list[tuple[HistorySource, QuerySet[Any]]]) -> None:
        self.sources = [
            (source, qs.order_by(f"-{source.date_field}", "-pk")) for source, qs in sources
        ]

    def count(self) -> int:
        return sum(qs.count() for _source, qs in self.sources)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Event]:
        end = window.stop if window.stop is not None else self.count()
        events = [
            Event(source.kind, getattr(item, source.date_field), item, source.template)
            for source, qs in self.sources
            for item in qs[:end]
        ]
        events.sort(key=lambda event: event.date, reverse=True)
        return events[window]


def customer_timeline(customer: Customer, user: AnyUser) -> Timeline:
    """The history the user may see: each source applies ``.visible_to(user)``."""
    return Timeline([(source, source.events(customer, user)) for source in _sources])


def customer_actions(customer: Customer, user: AnyUser) -> QuerySet[Any]:
    from pulso.customers.models import CustomerAction

    found = CustomerAction.objects.visible_to(user).filter(customer=customer)
    return found.select_related("org_unit")


ACTIONS = HistorySource("action", "customers/_history_action.html", "occurred_at", customer_actions)
