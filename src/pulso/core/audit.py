"""Record state changes made by actions, and what people do that changes nothing (logins,
exports)."""

from __future__ import annotations

from typing import Any

from django.db import models

from pulso.core.access import AnyUser, signed_in
from pulso.core.models import AuditEvent


def record_event(
    verb: str, obj: models.Model, actor: AnyUser | None = None, **data: Any
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=signed_in(actor),
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:200],
        data=data,
    )


def record_action(
    verb: str,
    actor: AnyUser | None = None,
    *,
    object_type: str = "",
    object_repr: str = "",
    **data: Any,
) -> AuditEvent:
    """An audit entry about no stored object: a login, a failed login, a download."""
    return AuditEvent.objects.create(
        actor=signed_in(actor),
        verb=verb,
        object_type=object_type[:60],
        object_repr=object_repr[:200],
        data=data,
    )
