"""``{{ customer.email|contact:request.user }}``: a contact detail as that user may see it."""

from __future__ import annotations

from django import template

from pulso.accounts.privacy import personal_data
from pulso.core.access import AnyUser

register = template.Library()


@register.filter
def contact(value: str, user: AnyUser) -> str:
    return personal_data(user).contact(value or "")
