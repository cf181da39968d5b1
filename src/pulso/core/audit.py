"""Record state changes made by actions."""

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
