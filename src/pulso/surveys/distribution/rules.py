"""Contact rules: who may be invited now, and why not.

A customer is not invited when they did not consent, opted out, have no address for the
channel, or were already contacted (by any survey) within the contact interval.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulso.customers.models import Customer
from pulso.surveys.models import Invitation, Survey

INVITABLE_CHANNELS = ("email", "sms")
# Statuses that mean the customer was (or is about to be) contacted.
CONTACTED = (
    Invitation.Status.QUEUED,
    Invitation.Status.SENT,
    Invitation.Status.OPENED,
    Invitation.Status.ANSWERED,
)


class SuppressionReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("No consent to be contacted")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    NO_EMAIL = "no_email", _("No email address")
    NO_PHONE = "no_phone", _("No phone number")
    RECENTLY_CONTACTED = "recently_contacted", _("Contacted recently (contact-frequency rule)")


@dataclass(frozen=True)
class Planned:
    customer: Customer
    reason: str | None  # a SuppressionReason value, or None when the customer is invited


def contact_interval_days(survey: Survey) -> int:
    """The survey's own interval when set, else the global PULSO_CONTACT_INTERVAL_DAYS."""
    if survey.contact_interval_days is not None:
        return survey.contact_interval_days
    return int(settings.PULSO_CONTACT_INTERVAL_DAYS)


def recently_contacted(customer_ids: Iterable[int], since: datetime) -> set[int]:
    """Customers with an invitation (any survey) created since ``since``."""
    return set(
        Invitation.objects.filter(
            customer_id__in=list(customer_ids), status__in=CONTACTED, created_at__gte=since
        ).values_list("customer_id", flat=True)
    )


def customer_reason(customer: Customer, channel: str) -> str | None:
    """The rule a single customer breaks regardless of history, or None."""
    if customer.is_unsubscribed:
        return SuppressionReason.UNSUBSCRIBED
    if not customer.consent_to_contact:
        return SuppressionReason.NO_CONSENT
    if not customer.address_for(channel):
        return SuppressionReason.NO_EMAIL if channel == "email" else SuppressionReason.NO_PHONE
    return None


def plan_invitations(
    survey: Survey, customers: Iterable[Customer], channel: str, now: datetime
) -> list[Planned]:
    """Decide, customer by customer (each once), whether they are invited or suppressed."""
    if channel not in INVITABLE_CHANNELS:
        raise ValueError(f"Invitations are sent by email or sms, not {channel!r}")
    unique = list({customer.pk: customer for customer in customers}.values())
    interval = contact_interval_days(survey)
    recent = recently_contacted([c.pk for c in unique], now - timedelta(days=interval))
    plan = []
    for customer in unique:
        reason = customer_reason(customer, channel)
        if reason is None and customer.pk in recent and interval > 0:
            reason = SuppressionReason.RECENTLY_CONTACTED
        plan.append(Planned(customer, reason))
    return plan


def summarise(plan: list[Planned]) -> dict[str, object]:
    """Counts for a preview: how many invited, how many suppressed and why."""
    reasons = Counter(item.reason for item in plan if item.reason)
    return {
        "invited": sum(1 for item in plan if item.reason is None),
        "suppressed": sum(reasons.values()),
        "reasons": [
            (SuppressionReason(code).label, count) for code, count in reasons.most_common()
        ],
    }


def detail_label(detail: str) -> str:
    """A status detail for people: suppression codes translated, provider messages as they are."""
    if detail in SuppressionReason.values:
        return str(SuppressionReason(detail).label)
    return detail
