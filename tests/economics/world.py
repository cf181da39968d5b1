"""Small worlds of customers, NPS answers and actions for the economics tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pulso.customers.models import Customer, CustomerAction
from pulso.feedback.models import Feedback
from tests.factories import CustomerFactory, FeedbackFactory

AS_OF = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
_count = [0]


def answer(customer: Customer, at: dt.datetime, nps: int, ces: int | None = None) -> Feedback:
    return FeedbackFactory(
        source=Feedback.Source.SURVEY, customer=customer, received_at=at, nps=nps, ces=ces
    )


def act(
    customer: Customer,
    kind: str,
    at: dt.datetime,
    amount: str | None = None,
    campaign: str = "",
) -> CustomerAction:
    _count[0] += 1
    return CustomerAction.objects.create(
        customer=customer,
        kind=kind,
        external_id=f"test-{_count[0]}",
        occurred_at=at,
        amount=None if amount is None else Decimal(amount),
        campaign=campaign,
    )


def customer_answering(
    days_ago: float, nps: int, ces: int | None = None
) -> tuple[Customer, dt.datetime]:
    customer = CustomerFactory()
    at = AS_OF - days_ago * DAY
    answer(customer, at, nps, ces)
    return customer, at
