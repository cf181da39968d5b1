"""What feedback adds to a customer's history: their reviews, posts and contact-centre notes."""

from __future__ import annotations

from django.db.models import QuerySet

from pulso.core.access import AnyUser
from pulso.customers.history import HistorySource
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback


def feedback_items(customer: Customer, user: AnyUser) -> QuerySet[Feedback]:
    items = Feedback.objects.unsolicited().visible_to(user).filter(customer=customer)
    return items.select_related("org_unit")


SOURCES = [
    HistorySource("feedback", "feedback/_history_feedback.html", "received_at", feedback_items),
]
