"""State changes of customers: imports, API edits, opt-outs, customers met through a response."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pulso.core.access import AnyUser, signed_in
from pulso.core.audit import record_event
from pulso.core.files import ImportFileError, Table, read_table
from pulso.customers import action_import
from pulso.customers.action_ingest import (
    ActionBatch,
    InvalidAction,
    Units,
    build_row,
    parse_items,
)
from pulso.customers.erasure import (
    AFTER_SWEEP,
    ERASERS,
    Erasure,
    forget_files,
    secrets_of,
    sweep,
)
from pulso.customers.importing import CleanRow, RowError, clean_row
from pulso.customers.models import Customer, CustomerAction, CustomerImport

IMPORT_BATCH = 500
EDITABLE_FIELDS = (
    "name", "email", "phone", "language", "segment", "value", "consent_to_contact",
)  # fmt: skip


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated


def import_rows(
    table: Table,
    mapping: dict[str, int],
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Validate every row and upsert the valid ones by external id; bad rows are reported."""
    report = ImportReport()
    seen: set[str] = set()
    with transaction.atomic():
        for start in range(0, len(table.rows), IMPORT_BATCH):
            chunk = table.rows[start : start + IMPORT_BATCH]
            good: list[CleanRow] = []
            for number, cells in chunk:
                outcome = clean_row(number, cells, mapping)
                if isinstance(outcome, RowError):
                    report.errors.append(outcome)
                else:
                    good.append(outcome)
            _upsert(good, report, seen, dry_run)
            if progress:
                progress(len(chunk))
    return report


def _upsert(rows: list[CleanRow], report: ImportReport, seen: set[str], dry_run: bool) -> None:
    """Create or update one batch; a later row for the same id overrides an earlier one."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        merged.setdefault(row.fields["external_id"], {}).update(row.fields)
    existing = Customer.objects.in_bulk(list(merged), field_name="external_id")
    for external_id in merged:
        if external_id in existing or external_id in seen:
            report.updated += 1
        else:
            report.created += 1
        seen.add(external_id)
    if dry_run:
        return
    to_update, changed = [], set()
    for external_id, customer in existing.items():
        for name, value in merged[external_id].items():
            setattr(customer, name, value)
            changed.add(name)
        to_update.append(customer)
    changed.discard("external_id")
    if to_update and changed:
        Customer.objects.bulk_update(to_update, sorted(changed))
    new = [Customer(**fields) for key, fields in merged.items() if key not in existing]
    Customer.objects.bulk_create(new)


@transaction.atomic
def do_upload_customer_file(
    file_name: str, content: bytes, actor: AnyUser | None = None
) -> CustomerImport:
    """Keep an uploaded file for review; raises ImportFileError if it cannot be read."""
    read_table(content, file_name)
    upload = CustomerImport.objects.create(
        file_name=file_name[:255],
        content=content,
        created_by=signed_in(actor) if getattr(actor, "is_authenticated", False) else None,
    )
    record_event("customers.file_uploaded", upload, actor)
    return upload


def do_run_customer_import(
    upload: CustomerImport,
    mapping: dict[str, int],
    actor: AnyUser | None = None,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Import an uploaded file with the reviewed column mapping and store the report."""
    with transaction.atomic():
        table = read_table(bytes(upload.content), upload.file_name)
        report = import_rows(table, mapping, progress=progress)
        upload.status = CustomerImport.Status.DONE
        upload.finished_at = timezone.now()
        upload.created_count = report.created
        upload.updated_count = report.updated
        upload.errors = [{"row": e.row, "reason": e.reason} for e in report.errors]
        upload.save(
            update_fields=[
                "status", "finished_at", "created_count", "updated_count", "errors",
            ]
        )  # fmt: skip
        record_event(
            "customers.imported",
            upload,
            actor,
            created=report.created,
            updated=report.updated,
            rejected=len(report.errors),
        )
    return report


@transaction.atomic
def do_create_customer(fields: dict[str, Any], actor: AnyUser | None = None) -> Customer:
    customer = Customer.objects.create(**fields)
    record_event("customer.created", customer, actor)
    return customer


@transaction.atomic
def do_update_customer(
    customer: Customer, fields: dict[str, Any], actor: AnyUser | None = None
) -> Customer:
    changed = [name for name in EDITABLE_FIELDS if name in fields]
    for name in changed:
        setattr(customer, name, fields[name])
    if changed:
        customer.save(update_fields=changed)
        record_event("customer.updated", customer, actor, fields=changed)
    return customer


@transaction.atomic
def do_unsubscribe(customer: Customer, invitation_id: int | None = None) -> bool:
    """Record the customer's opt-out; False if they had already opted out."""
    updated = Customer.objects.filter(pk=customer.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    customer.refresh_from_db(fields=["unsubscribed_at"])
    if updated:
        record_event("customer.unsubscribed", customer, None, invitation=invitation_id)
    return bool(updated)


def get_or_create_customer_for_response(
    *,
    external_id: str = "",
    email: str = "",
    name: str = "",
    phone: str = "",
    language: str = "",
    segment: str = "",
) -> Customer | None:
    """The customer behind a response: found by external id, else by email, else created.

    Returns None for anonymous responses (neither an id nor an email). Known customers only
    get their blank fields filled; what is already recorded is never overwritten. Consent is
    never assumed for customers created here.
    """
    external_id, email = external_id.strip()[:100], email.strip().lower()
    if not external_id and not email:
        return None
    customer = _find_customer(external_id, email)
    given = {"name": name, "email": email, "phone": phone, "segment": segment}
    if language in Customer.Language.values:
        given["language"] = language
    if customer is None:
        with transaction.atomic():
            customer, _created = Customer.objects.get_or_create(
                external_id=external_id or f"email:{email}"[:100],
                defaults={k: v for k, v in given.items() if v},
            )
        return customer
    _fill_blanks(customer, given)
    return customer


def _find_customer(external_id: str, email: str) -> Customer | None:
    if external_id:
        return Customer.objects.filter(external_id=external_id).first()
    return Customer.objects.filter(email__iexact=email).order_by("pk").first()


def _fill_blanks(customer: Customer, given: dict[str, str]) -> None:
    blanks = [name for name, value in given.items() if value and not getattr(customer, name, "")]
    blanks = [name for name in blanks if name != "language"]
    for name in blanks:
        setattr(customer, name, given[name])
    if blanks:
        customer.save(update_fields=blanks)


@transaction.atomic
def do_erase_customer(
    customer: Customer, actor: AnyUser | None = None, *, in_pass: bool = False
) -> Erasure:
    """Erase a customer's personal data everywhere (GDPR): their record keeps its id, segment
    and value, their answers keep their scores (dashboard totals stay the same), and every text
    naming them loses their name, email, phone and any other personal detail. ``in_pass``: one
    of many erasures whose shared clean-up the caller runs once after them all."""
    secrets = secrets_of(customer.name, customer.email, customer.phone)
    erasure = Erasure(customer.pk, secrets, in_pass=in_pass)
    for eraser in ERASERS:
        eraser(erasure)
    Customer.objects.filter(pk=customer.pk).update(
        name="",
        email="",
        phone="",
        consent_to_contact=False,
        unsubscribed_at=customer.unsubscribed_at or timezone.now(),
    )
    _forget_import_files(erasure)
    forget_files(erasure)
    sweep(erasure)
    for eraser in AFTER_SWEEP:
        eraser(erasure)
    customer.refresh_from_db()
    record_event("customer.erased", customer, actor, rows=sum(erasure.counts.values()))
    return erasure


def _forget_import_files(erasure: Erasure) -> None:
    """Uploaded customer files are kept for review only: drop the content of those already
    imported (a spreadsheet cannot be searched in place) and of any naming the customer."""
    done = CustomerImport.objects.filter(status=CustomerImport.Status.DONE).exclude(content=b"")
    erasure.count("customers.customerimport", done.update(content=b""))
    for upload in CustomerImport.objects.exclude(content=b"").only("pk", "content"):
        raw = bytes(upload.content).lower()
        if any(s.lower().encode() in raw for s in erasure.secrets):
            CustomerImport.objects.filter(pk=upload.pk).update(content=b"")
            erasure.count("customers.customerimport", 1)


@transaction.atomic
def do_ingest_customer_actions(
    raw: Sequence[Any], *, actor: AnyUser | None = None, origin: str = "api"
) -> ActionBatch:
    """Store a batch of customer actions: valid ones are created, or updated when their
    external id is known; each invalid one is reported with its index. Unknown customers
    are created. One audit event per batch."""
    result = ActionBatch()
    parsed, errors = parse_items(raw)
    for index, item_errors in errors.items():
        result.reject(index, item_errors)
    units, now = Units.load(actor), timezone.now()
    rows: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, item in parsed:
        try:
            row = build_row(item, units, now)
        except InvalidAction as exc:
            result.reject(index, exc.errors)
            continue
        result.updated += row["external_id"] in rows  # the last one of an id wins
        rows[row["external_id"]] = (index, row)
    _store_actions(rows, units, result)
    record_event(
        "customers.actions_ingested",
        CustomerAction(),
        actor,
        origin=origin,
        created=result.created,
        updated=result.updated,
        rejected=len(result.rejected),
    )
    return result


def _store_actions(
    rows: dict[str, tuple[int, dict[str, Any]]], units: Units, result: ActionBatch
) -> None:
    existing: dict[str, CustomerAction] = {}
    ids = list(rows)
    for start in range(0, len(ids), IMPORT_BATCH):
        found = CustomerAction.objects.select_related("org_unit").filter(
            external_id__in=ids[start : start + IMPORT_BATCH]
        )
        existing.update({action.external_id: action for action in found})
    for external_id, action in existing.items():
        if not units.may_write(action.org_unit.path if action.org_unit else None):
            index, _row = rows.pop(external_id)
            message = _("This action belongs to an organisation unit you may not change.")
            result.reject(index, {"external_id": message})
    customers = _ensure_customers(row["customer"] for _i, row in rows.values())
    new, changed = [], []
    for external_id, (_index, row) in rows.items():
        customer_id = customers[row.pop("customer")]
        fields = {**row, "customer_id": customer_id}
        if external_id in existing:
            action = existing[external_id]
            for name, value in fields.items():
                setattr(action, name, value)
            changed.append(action)
        else:
            new.append(CustomerAction(**fields))
    CustomerAction.objects.bulk_create(new, batch_size=IMPORT_BATCH)
    CustomerAction.objects.bulk_update(changed, ACTION_FIELDS, batch_size=IMPORT_BATCH)
    result.created += len(new)
    result.updated += len(changed)


ACTION_FIELDS = [
    "customer_id", "kind", "occurred_at", "amount", "product", "channel", "campaign",
    "org_unit_id",
]  # fmt: skip


def _ensure_customers(external_ids: Iterable[str]) -> dict[str, int]:
    """Customer ids by external id, creating the unknown ones."""
    wanted = sorted(set(external_ids))
    found = _customer_ids(wanted)
    missing = [ext for ext in wanted if ext not in found]
    if missing:
        # Another batch may create the same customers meanwhile: ignore, then read back.
        new = [Customer(external_id=ext) for ext in missing]
        Customer.objects.bulk_create(new, batch_size=IMPORT_BATCH, ignore_conflicts=True)
        found.update(_customer_ids(missing))
    return found


def _customer_ids(external_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(external_ids), IMPORT_BATCH):
        chunk = external_ids[start : start + IMPORT_BATCH]
        rows = Customer.objects.filter(external_id__in=chunk).values_list("external_id", "pk")
        found.update(rows)
    return found


@transaction.atomic
def do_import_customer_action_file(
    file_name: str, content: bytes, *, date_order: str = "dmy", actor: AnyUser | None = None
) -> ActionBatch:
    """Import a CSV or XLSX file of customer actions through the batch rules; rejected rows
    are reported by their row number. Raises ImportFileError when the file cannot be read or
    lacks a required column."""
    table = read_table(content, file_name)
    mapping = action_import.detect_mapping(table.headers)
    if missing := action_import.missing_columns(mapping):
        raise ImportFileError(
            _("The file has no column for: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    items, rejects = action_import.rows_to_items(table, mapping, date_order)
    result = do_ingest_customer_actions([item for _n, item in items], actor=actor, origin="file")
    numbered = [{**r, "index": items[r["index"]][0]} for r in result.rejected]
    result.rejected = rejects + numbered
    return result
