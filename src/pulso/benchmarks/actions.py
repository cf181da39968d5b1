"""State changes of reference values: imports (file or API batch) and deletion, audit-logged."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pulso.benchmarks import importing
from pulso.benchmarks.models import ReferenceValue
from pulso.core.access import AnyUser, signed_in
from pulso.core.audit import record_action, record_event
from pulso.core.batches import BatchResult
from pulso.core.files import ImportFileError, read_table

KEY_FIELDS = ("metric", "sector", "interaction_type", "channel", "label", "source", "published_on")
MAX_BATCH = importing.MAX_ROWS


def do_import_references(
    items: list[Any], *, actor: AnyUser | None = None, origin: str = "api"
) -> BatchResult:
    """Store the valid items (one sent again with the same metric, sector, scope, source and
    date is updated) and report each invalid one by its index."""
    result = BatchResult()
    with transaction.atomic():
        for index, raw in enumerate(items):
            clean, errors = importing.clean_item(raw)
            if errors:
                result.reject(index, errors)
                continue
            _store(clean, actor, result)
        record_action(
            "benchmarks.references_imported",
            actor,
            origin=origin,
            created=result.created,
            updated=result.updated,
            rejected=len(result.rejected),
        )
    return result


def _store(clean: dict[str, Any], actor: AnyUser | None, result: BatchResult) -> None:
    key = {name: clean.get(name, "") for name in KEY_FIELDS}
    values = {
        "value": clean["value"],
        "base_n": clean.get("base_n"),
        "notes": clean.get("notes", ""),
        "created_by": signed_in(actor),
    }
    _ref, created = ReferenceValue.objects.update_or_create(**key, defaults=values)
    if created:
        result.created += 1
    else:
        result.updated += 1


def do_import_reference_file(
    file_name: str, content: bytes, *, actor: AnyUser | None = None
) -> BatchResult:
    """Import a CSV or XLSX file of reference values; rejected rows are reported by their row
    number. Raises ImportFileError when the file cannot be read or lacks a required column."""
    table = read_table(content, file_name)
    if len(table.rows) > importing.MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it.") % {"max": importing.MAX_ROWS}
        )
    mapping = importing.detect_mapping(table.headers)
    if missing := importing.missing_columns(mapping):
        raise ImportFileError(
            _("The file has no column for: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    numbered = importing.row_items(table, mapping)
    result = do_import_references([item for _n, item in numbered], actor=actor, origin="file")
    for reject in result.rejected:
        reject["index"] = numbered[reject["index"]][0]
    return result


def do_delete_reference(reference: ReferenceValue, *, actor: AnyUser | None = None) -> None:
    with transaction.atomic():
        record_event("benchmarks.reference_deleted", reference, actor, value=reference.value)
        reference.delete()
