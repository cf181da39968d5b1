"""Importing past survey responses from any survey tool's export (see :mod:`presets`).

One import is one :class:`~pulso.feedback.models.ImportRun`: its records carry it, so the whole
import can be undone; rows already imported (same respondent id) are skipped, so importing the
same file again stores nothing twice. Rows are read, checked and stored a chunk at a time in one
transaction: a file refused half-way (a date that needs an order) stores nothing.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pulso.core.access import AnyUser, signed_in
from pulso.core.audit import record_event
from pulso.core.dates import AmbiguousDate
from pulso.core.files import ImportFileError, normalise_header
from pulso.core.mapping import MappingError
from pulso.core.readahead import ChildProcessFailed, ahead_in_child, can_fork
from pulso.feedback.actions import do_undo_import
from pulso.feedback.events import publish_recorded
from pulso.feedback.models import ImportRun
from pulso.lib.cycles import no_cycle_collection
from pulso.surveys.importers.bulk import BulkResult, ResponseValidator, survey_values
from pulso.surveys.importers.bulk import published_version as published_version
from pulso.surveys.importers.fastwrite import Writer, roomy_cache
from pulso.surveys.importers.plan import SCALE_KINDS, Plan, RowProblem, build_plan, read_row
from pulso.surveys.importers.presets import FORMAT_NAMES, FORMATS, Layout, recognise
from pulso.surveys.importers.reading import (
    ChunkReader,
    ImportRefused,
    PreparedChunk,
    answers_at,
    kept_in_date_order,
    with_customers,
)
from pulso.surveys.importers.scale_labels import label_scores
from pulso.surveys.importers.source import read_rows
from pulso.surveys.models import ImportMapping, Survey

CHUNK = 10_000
FORMAT_CHOICES = [(fmt, FORMAT_NAMES[fmt]) for fmt in ("auto", *FORMATS)]
Source = Path | bytes


class ImportReaderFailed(ImportFileError):
    """The process reading the file ended without finishing (killed, out of memory)."""


def columns_key(layout: Layout) -> str:
    """A digest of the export's headers: the same survey exported again has the same key."""
    names = "\x1f".join(normalise_header(h) for h in layout.headers)
    return hashlib.sha256(f"{layout.tool}\x1e{names}".encode()).hexdigest()


def prepare(
    survey: Survey, source: Source, *, fmt: str = "auto", mapping: Mapping[str, Any] | None = None,
    date_order: str = "", file_name: str = "", skip_incomplete: bool = False,
) -> tuple[Plan, Iterator[tuple[int, list[str]]]]:  # fmt: skip
    """The reading plan of an export and its data rows; the saved mapping of the same columns
    is used when none is given. Raises ImportFileError (ImportRefused for mapping errors)."""
    rows = read_rows(source, file_name)
    layout = recognise(rows.head, fmt)
    if mapping is None:
        saved = ImportMapping.objects.filter(survey=survey, columns_key=columns_key(layout)).first()
        mapping = saved.spec if saved else None
    try:
        plan = build_plan(layout, published_version(survey), mapping, date_order)
    except MappingError as exc:
        raise ImportRefused(str(exc)) from exc
    plan.skip_incomplete = skip_incomplete
    data = itertools.islice(iter(rows), layout.header_rows, None)
    first = list(itertools.islice(data, CHUNK))
    if _has_labels(plan, first):
        plan.labels = _label_scales(plan, read_rows(source, file_name), layout.header_rows)
    return plan, itertools.chain(first, data)


def _has_labels(plan: Plan, rows: list[tuple[int, list[str]]]) -> bool:
    """Whether a scale column holds words (labels) in the first rows."""
    scales = [i for i, r in plan.rules.items() if plan.questions[r.question].kind in SCALE_KINDS]
    return any(
        index < len(cells) and any(c.isalpha() for c in cells[index][:1])
        for _number, cells in rows
        for index in scales
    )


def _label_scales(plan: Plan, rows: Any, header_rows: int) -> dict[int, dict[str, int]]:
    """Label scores of scale columns whose cells hold labels ("Muy satisfecho"), read from the
    whole column so that a label's score does not depend on where it first appears."""
    wanted = {i: r for i, r in plan.rules.items() if plan.questions[r.question].kind in SCALE_KINDS}
    seen: dict[int, set[str]] = {i: set() for i in wanted}
    for _number, cells in itertools.islice(iter(rows), header_rows, None):
        for index, values in seen.items():
            if index < len(cells) and len(values) < 100 and not cells[index][:1].isdigit():
                values.add(cells[index])
    scales = {}
    for index, values in seen.items():
        scores = label_scores(plan.questions[wanted[index].question], values)
        if scores:
            scales[index] = scores
    return scales


@dataclass
class Counts:
    total: int = 0
    created: int = 0
    skipped: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)
    rejected: int = 0

    def reject(self, number: int, errors: Mapping[str, str]) -> None:
        self.rejected += 1
        if len(self.rejects) < ImportRun.MAX_STORED_REJECTS:
            self.rejects.append({"index": number, "errors": dict(errors)})

    def add(self, stored: BulkResult) -> None:
        self.created += stored.created
        self.skipped += stored.skipped
        for reject in stored.rejected:
            self.reject(reject["index"], reject["errors"])


def _store_all(
    survey: Survey, plan: Plan, data: Iterator[tuple[int, list[str]]], run: ImportRun,
    progress: Callable[[int], object] | None, read_ahead: bool = False,
) -> Counts:  # fmt: skip
    """Read and store the rows a chunk at a time, each chunk in its own transaction (outside
    a dry run): a long import neither holds SQLite's one writer lock for minutes nor keeps
    every chunk's event waiting in memory until the end."""
    counts = Counts()
    version = published_version(survey)
    survey = Survey.objects.select_related("touchpoint__stage").get(pk=survey.pk)
    writer = Writer(survey, version, run)
    reader = ChunkReader(plan, writer, survey_values(survey, version), ResponseValidator(version))
    # A chunk keeps many objects alive while it is read and written; automatic cycle
    # collections went through them and every object of the process again and again (about a
    # fifth of the import's CPU): the young generations are collected once per chunk.
    with roomy_cache(), no_cycle_collection():
        for prepared in _prepared_chunks(reader, data, read_ahead):
            _store_chunk(survey, writer, prepared, counts)
            gc.collect(1)
            if progress:
                progress(prepared.total)
    counts.rejects.sort(key=lambda reject: reject["index"])
    return counts


def _prepared_chunks(
    reader: ChunkReader, data: Iterator[tuple[int, list[str]]], read_ahead: bool
) -> Iterator[PreparedChunk]:
    """The chunks read and checked; with ``read_ahead``, for a file of more than one chunk, by
    a child process on another core, a chunk ahead of the one being written (the import is
    CPU-bound, and reading costs about as much as writing)."""
    head = list(itertools.islice(data, CHUNK + 1))
    rows = itertools.chain(head, data)

    def read_all(in_child: bool = False) -> Iterator[PreparedChunk]:
        while chunk := list(itertools.islice(rows, CHUNK)):
            yield reader(chunk)
            if in_child:  # in this process _store_all collects once per chunk
                gc.collect(1)

    if not read_ahead or len(head) <= CHUNK or not can_fork():
        yield from read_all()
        return
    try:
        yield from ahead_in_child(lambda: read_all(in_child=True))
    except ChildProcessFailed as exc:
        raise ImportReaderFailed(
            _("The process reading the file stopped unexpectedly (exit code %(code)s).")
            % {"code": exc.exit_code}
        ) from exc


def _store_chunk(survey: Survey, writer: Writer, prepared: PreparedChunk, counts: Counts) -> None:
    """Store one chunk's new valid rows in one transaction and count the others."""
    counts.total += prepared.total
    counts.skipped += prepared.skipped
    for number, errors in prepared.rejects:
        counts.reject(number, errors)
    result = BulkResult()
    with transaction.atomic():
        positions = kept_in_date_order(survey, prepared, result)
        rows = with_customers(writer, prepared, positions)
        ids = writer.store(rows, answers_at(prepared, positions))
        publish_recorded(ids)  # one event per chunk, once it is committed
    result.created = len(ids)
    counts.add(result)


def _finish(run: ImportRun, counts: Counts) -> ImportRun:
    run.total, run.created, run.skipped = counts.total, counts.created, counts.skipped
    run.rejected, run.rejects = counts.rejected, counts.rejects
    return run


def do_import_survey_history(
    survey: Survey, source: Source, *, fmt: str = "auto", mapping: Mapping[str, Any] | None = None,
    date_order: str = "", skip_incomplete: bool = False, dry_run: bool = False,
    actor: AnyUser | None = None,
    file_name: str = "", progress: Callable[[int], object] | None = None, read_ahead: bool = False,
) -> ImportRun:  # fmt: skip
    """Import an export's responses into ``survey``. With ``dry_run`` nothing is stored and
    the returned run is not saved. Raises ImportFileError (ImportRefused) for a file that
    cannot be imported as mapped; what was stored before the refusal is removed again.

    ``read_ahead`` reads the file in a forked child process on another core: for the CLI, a
    process of one thread. Not inside a threaded web server, where the fork could copy a lock
    another thread holds (the child would wait on it forever)."""
    plan, data = prepare(
        survey, source, fmt=fmt, mapping=mapping, date_order=date_order,
        file_name=file_name, skip_incomplete=skip_incomplete,
    )  # fmt: skip
    user = signed_in(actor)
    fields = {"kind": plan.layout.tool, "file_name": file_name[:200], "survey": survey,
              "created_by": user}  # fmt: skip
    if dry_run:
        with transaction.atomic():
            run = _finish(ImportRun.objects.create(**fields), Counts())
            run = _finish(run, _store_all(survey, plan, data, run, progress, read_ahead))
            transaction.set_rollback(True)
        run.pk = None
        return run
    run = ImportRun.objects.create(**fields)
    try:
        counts = _store_all(survey, plan, data, run, progress, read_ahead)
    except BaseException:
        do_undo_import(run, actor=actor)
        ImportRun.objects.filter(pk=run.pk).delete()
        raise
    _finish(run, counts).save(update_fields=["total", "created", "skipped", "rejected", "rejects"])
    if mapping:
        _remember(survey, plan.layout, mapping)
    record_event("survey.history_imported", run, actor, survey=survey.pk, created=run.created)
    return run


def _remember(survey: Survey, layout: Layout, mapping: Mapping[str, Any]) -> None:
    ImportMapping.objects.update_or_create(
        survey=survey,
        columns_key=columns_key(layout),
        defaults={"tool": layout.tool, "spec": dict(mapping)},
    )


@dataclass
class PreviewRow:
    number: int
    external_id: str = ""
    submitted_at: Any = None
    complete: bool = True
    values: list[tuple[str, Any]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    skipped: bool = False


def preview(plan: Plan, data: Iterator[tuple[int, list[str]]], limit: int = 10) -> list[PreviewRow]:
    """The first rows exactly as they would be stored (cleaned answers), or why not."""
    from pulso.surveys.answers import InvalidAnswers, validate_answers

    version = published_version_of(plan)
    shown: list[PreviewRow] = []
    for number, cells in itertools.islice(data, limit):
        item = PreviewRow(number)
        try:
            row = read_row(plan, number, cells)
            if row is None:
                item.skipped = True
            else:
                clean = validate_answers(version, row.answers, partial=not row.complete)
                item.external_id, item.submitted_at = row.external_id, row.submitted_at
                item.complete = row.complete
                item.values = list(clean.values.items())
        except (RowProblem, InvalidAnswers) as exc:
            item.errors = exc.errors
        except AmbiguousDate as exc:
            item.errors = {"date": str(exc)}
        shown.append(item)
    return shown


def published_version_of(plan: Plan) -> Any:
    question = next(iter(plan.questions.values()))
    return question.version
