"""Importing historical survey responses from Qualtrics or LimeSurvey exports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pulso.core.access import AnyUser, signed_in
from pulso.core.audit import record_event
from pulso.core.text import has_lone_surrogates
from pulso.feedback.models import ImportRun
from pulso.surveys.importers import limesurvey, qualtrics
from pulso.surveys.importers.bulk import (
    BulkResult,
    ResponseRow,
    bulk_record_responses,
    published_version,
)
from pulso.surveys.importers.common import (
    Export,
    auto_mapping,
    column_scales,
    parse_date,
    row_answers,
)
from pulso.surveys.models import Question, Survey

PARSERS = {"qualtrics": qualtrics.parse, "limesurvey": limesurvey.parse}
FORMAT_CHOICES = [("qualtrics", "Qualtrics (CSV)"), ("limesurvey", "LimeSurvey (CSV)")]


def read_export(fmt: str, data: bytes, file_name: str = "") -> Export:
    """Parse an export file; raises ImportFileError when it cannot be read at all."""
    return PARSERS[fmt](data, file_name)


def effective_mapping(
    export: Export, survey: Survey, explicit: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Auto-detected column → question mapping, overridden by the explicit one."""
    mapping = auto_mapping(export.columns, published_version(survey))
    for column, key in (explicit or {}).items():
        if key:
            mapping[column] = key
        else:
            mapping.pop(column, None)
    return mapping


def _row(row: Any, index: int, answers: dict[str, Any]) -> ResponseRow:
    meta = row.meta  # from read_table's cells: NUL bytes already dropped
    zone = meta.get("timezone", "")
    submitted = parse_date(meta.get("submitted", ""), zone) or parse_date(
        meta.get("started", ""), zone
    )
    return ResponseRow(
        index=index,
        answers=answers,
        submitted_at=submitted,
        started_at=parse_date(meta.get("started", ""), zone),
        complete=meta.get("complete") == "1",
        external_id=meta.get("external_id", "")[:100],
        customer=meta.get("customer", "")[:100],
        channel=meta.get("channel", "import"),
        language=meta["language"] if meta.get("language") in ("es", "en") else "es",
    )


def export_rows(
    export: Export, questions: dict[str, Question], mapping: Mapping[str, str],
    skip_incomplete: bool, result: BulkResult,
) -> list[ResponseRow]:  # fmt: skip
    """ResponseRows for the rows to import; unreadable ones go to ``result``."""
    rows: list[ResponseRow] = []
    scales = column_scales(export, mapping, questions)
    for row in export.rows:
        if row.meta.get("skip") or (skip_incomplete and row.meta.get("complete") != "1"):
            result.skipped += 1
            continue
        if any(has_lone_surrogates(cell) for cell in row.cells):
            message = _("bad encoding: the row has characters that cannot be read")
            result.reject(row.number, {"row": message})
            continue
        answers = row_answers(row, export.columns, mapping, questions, scales)
        if not answers:
            result.reject(row.number, {"row": _("The row has no answers to the mapped questions.")})
            continue
        try:
            rows.append(_row(row, row.number, answers))
        except ValueError as exc:
            result.reject(row.number, {"date": str(exc)})
    return rows


@transaction.atomic
def do_import_survey_history(
    survey: Survey, data: bytes, *, fmt: str, mapping: Mapping[str, str] | None = None,
    skip_incomplete: bool = False, dry_run: bool = False, actor: AnyUser | None = None,
    file_name: str = "",
) -> ImportRun:  # fmt: skip
    """Import an export's responses into ``survey``; rows already imported (same response id)
    are skipped. With ``dry_run`` nothing is stored and the returned run is not saved."""
    export = read_export(fmt, data, file_name)
    columns = effective_mapping(export, survey, mapping)
    questions = {q.key: q for q in published_version(survey).questions.all()}
    result = BulkResult()
    rows = export_rows(export, questions, columns, skip_incomplete, result)
    stored = bulk_record_responses(survey, rows)
    run = ImportRun(
        kind=fmt, file_name=file_name[:200], survey=survey, total=len(export.rows),
        created=stored.created, skipped=result.skipped + stored.skipped,
        rejected=len(result.rejected) + len(stored.rejected),
        rejects=sorted(result.rejected + stored.rejected, key=lambda r: r["index"]),
        created_by=signed_in(actor) if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    if dry_run:
        transaction.set_rollback(True)
        return run
    run.save()
    record_event("survey.history_imported", run, actor, survey=survey.pk, created=run.created)
    return run


def describe_mapping(mapping: Mapping[str, str]) -> str:
    return ", ".join(f"{column} → {key}" for column, key in mapping.items()) or _("(none)")
