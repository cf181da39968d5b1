"""Record state changes made by actions."""

from __future__ import annotations

from typing import Any

from django.db import models

from pulso.core.models import AuditEvent


def record_event(verb: str, obj: models.Model, actor: Any = None, **data: Any) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:200],
        data=data,
    )
