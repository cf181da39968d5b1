"""State changes of unsolicited feedback: storing items one by one or in large batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pulso.core.access import AnyUser, signed_in
from pulso.core.audit import record_event
from pulso.core.batches import BatchResult
from pulso.customers.models import Customer
from pulso.feedback import bulkstore
from pulso.feedback.events import publish_recorded
from pulso.feedback.ingest import (
    FeedbackIn,
    InvalidItem,
    Lookups,
    build_item,
    customer_ids,
    parse_items,
)
from pulso.feedback.models import Feedback, ImportRun
from pulso.lib.cycles import no_cycle_collection

CHUNK = 2_000
IMPORT_CHUNK = 5_000
UPSERT_FIELDS = [
    "source_name",
    "channel",
    "text",
    "rating",
    "rating_scale_max",
    "author",
    "customer",
    "touchpoint",
    "org_unit",
    "language",
    "received_at",
]


def ensure_customers(external_ids: Iterable[str]) -> dict[str, int]:
    """Customer ids by external id, creating the unknown ones (a few queries per batch)."""
    wanted = sorted(set(external_ids))
    found = bulkstore.known_customers(wanted)
    missing = [Customer(external_id=ext) for ext in wanted if ext not in found]
    if missing:
        # Another batch may create the same customers meanwhile: ignore, then read back.
        Customer.objects.bulk_create(missing, batch_size=CHUNK, ignore_conflicts=True)
        found.update(bulkstore.known_customers([c.external_id for c in missing]))
    return found


def _store(rows: list[dict[str, Any]], result: BatchResult) -> list[int]:
    """Insert new items and update known ones (same source and external id); returns the
    ids of the stored items."""
    keyed: dict[tuple[str, str], dict[str, Any]] = {}
    plain: list[dict[str, Any]] = []
    for row in rows:
        if row["external_id"]:
            key = (row["source"], row["external_id"])
            # The last one of a key wins; the earlier ones count as updates of it.
            result.updated += key in keyed
            keyed[key] = row
        else:
            plain.append(row)
    unique = plain + list(keyed.values())
    existing, ids = bulkstore.upsert(unique)
    result.updated += existing
    result.created += len(unique) - existing
    return ids


def validate_batch(
    raw: Sequence[Any], lookups: Lookups, result: BatchResult
) -> list[dict[str, Any]]:
    """Column values of the valid entries of ``raw``; the invalid ones go to ``result``."""
    parsed, errors = parse_items(raw)
    for index, item_errors in errors.items():
        result.reject(index, item_errors)
    lookups.customers = ensure_customers(customer_ids(item for _i, item in parsed))
    valid: list[dict[str, Any]] = []
    for index, item in parsed:
        try:
            valid.append(build_item(item, lookups))
        except InvalidItem as exc:
            result.reject(index, exc.errors)
    return valid


def _run(result: BatchResult, actor: AnyUser | None, **fields: Any) -> ImportRun:
    """An (unsaved) import run holding the counts and rejected rows of ``result``."""
    return ImportRun(
        created_by=signed_in(actor) if getattr(actor, "is_authenticated", False) else None,
        created=result.created,
        updated=result.updated,
        rejected=len(result.rejected),
        rejects=result.as_dict()["rejected"][: ImportRun.MAX_STORED_REJECTS],
        **fields,
    )


def _save_run(run: ImportRun, actor: AnyUser | None) -> ImportRun:
    run.save()
    record_event("feedback.ingested", run, actor, created=run.created, updated=run.updated)
    return run


@transaction.atomic
def do_import_feedback_rows(
    rows: Sequence[tuple[int, dict[str, Any]]],
    *,
    rejects: Sequence[dict[str, Any]] = (),
    actor: AnyUser | None = None,
    file_name: str = "",
    kind: str = ImportRun.Kind.FILE,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportRun:
    """Store the items read from a file, ``(row number, raw item)``; rows already rejected
    while reading come in ``rejects``. With ``dry_run`` nothing is stored (unsaved run)."""
    result = BatchResult(rejected=list(rejects))
    lookups = Lookups.load(actor)
    stored: list[int] = []
    for start in range(0, len(rows), IMPORT_CHUNK):
        chunk = rows[start : start + IMPORT_CHUNK]
        chunk_result = BatchResult()
        valid = validate_batch([item for _n, item in chunk], lookups, chunk_result)
        stored += _store(valid, result)
        for reject in chunk_result.rejected:
            result.reject(chunk[reject["index"]][0], reject["errors"])
        if progress:
            progress(len(chunk))
    run = _run(result, actor, kind=kind, file_name=file_name[:200], total=len(rows) + len(rejects))
    if dry_run:
        transaction.set_rollback(True)
        return run
    publish_recorded(stored)  # one event for the whole file
    return _save_run(run, actor)


@transaction.atomic
def do_ingest_feedback(
    raw: Sequence[Any], *, actor: AnyUser | None = None, origin: str = "api", file_name: str = ""
) -> BatchResult:
    """Store a batch of feedback items: valid ones are created or updated (same source and
    external id), each invalid one is reported with its index. One audit event per batch."""
    result = BatchResult()
    with no_cycle_collection():  # 10,000 items: collections would rescan them again and again
        items = validate_batch(raw, Lookups.load(actor), result)
    publish_recorded(_store(items, result))  # one event per batch
    _save_run(_run(result, actor, kind=origin, file_name=file_name[:200], total=len(raw)), actor)
    return result


def do_record_feedback(item: FeedbackIn, *, actor: AnyUser | None = None) -> tuple[Feedback, bool]:
    """Store one item (created, or updated when its source and external id are known)."""
    with transaction.atomic():
        lookups = Lookups.load(actor)
        lookups.customers = ensure_customers(customer_ids([item]))
        fields = build_item(item, lookups)  # raises InvalidItem
        if fields["external_id"]:
            key = {"source": fields.pop("source"), "external_id": fields.pop("external_id")}
            stored, created = Feedback.objects.update_or_create(**key, defaults=fields)
        else:
            stored, created = Feedback.objects.create(**fields), True
        record_event("feedback.recorded", stored, actor)
        publish_recorded([stored.pk])
    return stored, created


class ImportNotUndoable(Exception):
    """The import has already been undone, or stored nothing that can be removed."""


@transaction.atomic
def do_undo_import(run: ImportRun, *, actor: AnyUser | None = None, chunk: int = 2_000) -> int:
    """Remove every record an import stored (with its survey response and answers); returns
    how many. The metrics' triggers log the days they leave, so dashboards are rebuilt
    without them by the next refresh."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.undone_at is not None:
        raise ImportNotUndoable(_("This import was already undone."))
    ids = list(Feedback.objects.filter(import_run=run).values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        Feedback.objects.filter(pk__in=ids[start : start + chunk]).delete()
    removed = len(ids)  # (SQLite reports no deleted rows for a table with delete triggers)
    run.undone_at = timezone.now()
    run.save(update_fields=["undone_at"])
    record_event("feedback.import_undone", run, actor, removed=removed)
    return removed
