"""Everything Pulso holds about one customer, as a machine-readable archive (GDPR right of
access and portability): their record, every row that points at them (responses, feedback,
invitations, cases…) and the rows that belong to those (answers, analyses, case events…).

Rows are found through the foreign keys, so what another app adds later is included without
changing this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import serializers
from django.db import models
from django.utils import timezone

from pulso.customers.models import Customer

FORMAT_VERSION = 1


def _rows(rows: Iterable[models.Model]) -> list[dict[str, Any]]:
    return [
        {"id": row["pk"], **row["fields"]}
        for row in serializers.serialize("python", rows)  # type: ignore[union-attr]
    ]


def _children(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    return [rel for rel in model._meta.related_objects if rel.one_to_many or rel.one_to_one]


def customer_archive(customer: Customer) -> dict[str, Any]:
    """The customer and the rows about them, by model label (``"surveys.response"``)."""
    archive: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "customer": _rows([customer])[0],
        "rows": {},
    }
    for rel in _children(Customer):
        model = rel.related_model
        linked = model._base_manager.filter(**{rel.field.name: customer}).order_by("pk")
        if not linked.exists():
            continue
        _add(archive, model, linked)
        for child in _children(model):
            grandchildren = child.related_model._base_manager.filter(
                **{f"{child.field.name}__in": linked}
            ).order_by("pk")
            _add(archive, child.related_model, grandchildren)
    return archive


def _add(archive: dict[str, Any], model: type[models.Model], rows: Any) -> None:
    found = _rows(rows.iterator(2000))
    if not found:
        return
    bucket: list[dict[str, Any]] = archive["rows"].setdefault(model._meta.label_lower, [])
    known = {row["id"] for row in bucket}
    bucket.extend(row for row in found if row["id"] not in known)
