"""What surveys add to a customer's history: the invitations sent and the responses given."""

from __future__ import annotations

from django.db.models import QuerySet

from pulso.core.access import AnyUser
from pulso.customers.history import HistorySource
from pulso.customers.models import Customer
from pulso.surveys.models import Invitation, Response


def invitations(customer: Customer, user: AnyUser) -> QuerySet[Invitation]:
    invitations = Invitation.objects.visible_to(user).filter(customer=customer)
    return invitations.select_related("survey")


def responses(customer: Customer, user: AnyUser) -> QuerySet[Response]:
    responses = Response.objects.visible_to(user).filter(customer=customer)
    return responses.select_related("survey", "org_unit")


SOURCES = [
    HistorySource("invitation", "surveys/_history_invitation.html", "created_at", invitations),
    HistorySource("response", "surveys/_history_response.html", "submitted_at", responses),
]
