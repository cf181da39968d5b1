"""Demo invitations of the last 90 days, so response rates have something to measure."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from pulso.customers.models import Customer
from pulso.surveys.models import Invitation, Response

WINDOW_DAYS = 90
# For each answered invitation, how many others were sent and what became of them.
UNANSWERED = [
    (Invitation.Status.SENT, 0.55),
    (Invitation.Status.OPENED, 0.35),
    (Invitation.Status.BOUNCED, 0.1),
]


def _unanswered(
    rng: random.Random, answered: Invitation, sent_at: datetime, customers: list[int]
) -> Invitation:
    status = rng.choices([s for s, _ in UNANSWERED], [w for _, w in UNANSWERED])[0]
    return Invitation(
        survey_id=answered.survey_id,
        customer_id=rng.choice(customers),
        org_unit_id=answered.org_unit_id,
        channel=answered.channel,
        status=status,
        created_at=sent_at,
        sent_at=sent_at,
        opened_at=sent_at + timedelta(hours=rng.randrange(1, 48)) if status == "opened" else None,
    )


def build(rng: random.Random, progress: Any) -> None:
    if Invitation.objects.exists():
        return
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    responses = Response.objects.filter(
        submitted_at__gte=since, channel__in=["email", "sms"], customer__isnull=False
    ).values_list("survey_id", "customer_id", "org_unit_id", "channel", "submitted_at")
    customers = list(Customer.objects.values_list("pk", flat=True))
    tick = progress("Invitations", 1)
    invitations: list[Invitation] = []
    for survey_id, customer_id, unit_id, channel, submitted_at in responses:
        sent_at = submitted_at - timedelta(hours=rng.randrange(2, 72))
        answered = Invitation(
            survey_id=survey_id,
            customer_id=customer_id,
            org_unit_id=unit_id,
            channel=channel,
            status=Invitation.Status.ANSWERED,
            created_at=sent_at,
            sent_at=sent_at,
            opened_at=sent_at + timedelta(minutes=30),
            answered_at=submitted_at,
        )
        invitations.append(answered)
        others = rng.randint(1, 4)
        invitations.extend(_unanswered(rng, answered, sent_at, customers) for _ in range(others))
    Invitation.objects.bulk_create(invitations, batch_size=2_000)
    tick(1)
