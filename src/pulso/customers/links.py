"""Signed links sent to customers (unsubscribe), valid without login."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from pulso.customers.models import Customer

UNSUBSCRIBE_SALT = "pulso.customers.unsubscribe"


def unsubscribe_token(customer: Customer, invitation_id: int | None = None) -> str:
    payload = {"c": customer.pk, "i": invitation_id} if invitation_id else {"c": customer.pk}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(customer: Customer, invitation_id: int | None = None) -> str:
    path = reverse("customers:unsubscribe", args=[unsubscribe_token(customer, invitation_id)])
    return settings.PULSO_BASE_URL.rstrip("/") + path


def read_unsubscribe_token(token: str) -> tuple[int, int | None] | None:
    """(customer id, invitation id or None) from a token, or None when it was tampered with."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        return None
    invitation = payload.get("i")
    return payload["c"], invitation if isinstance(invitation, int) else None
