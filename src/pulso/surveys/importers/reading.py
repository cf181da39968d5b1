"""A chunk of an export read, checked and turned into table rows, without the database.

A history import does in two processes what it did in one: :func:`prepare_chunk` reads,
maps and checks a chunk's rows and builds each valid response's table row (in a child
process when the file has more than one chunk, see :mod:`pulso.core.readahead`); the
importing process then does only what needs the database (:func:`kept_in_date_order`: the
already-imported check, customers; then the writes). A chunk travels as a
:class:`PreparedChunk`: plain lists and dictionaries, cheap to pickle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pulso.core.dates import AmbiguousDate
from pulso.core.files import ImportFileError
from pulso.surveys.answers import InvalidAnswers
from pulso.surveys.importers.bulk import (
    BulkResult,
    ResponseValidator,
    customers_by_external_id,
    known_external_ids,
    response_values,
)
from pulso.surveys.importers.fastwrite import Writer
from pulso.surveys.importers.plan import Plan, RowProblem, read_row
from pulso.surveys.models import Survey


class ImportRefused(ImportFileError):
    """The file as a whole cannot be imported as mapped (mapping, date order)."""


@dataclass
class PreparedChunk:
    """A chunk's rows as read: ``numbers``, ``external_ids`` and ``customers`` (by position)
    of every row read as a response, the table ``rows`` of the valid ones (``None`` for the
    ``invalid``), their other ``answers`` (by position, only those not copied in SQL), and
    ``order``: the valid positions by date (the order they are written in)."""

    total: int = 0
    skipped: int = 0  # not a real answer (preview, test, spam) or unfinished and skipped
    rejects: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # while reading
    numbers: list[int] = field(default_factory=list)
    external_ids: list[str] = field(default_factory=list)
    customers: dict[int, str] = field(default_factory=dict)
    invalid: dict[int, dict[str, str]] = field(default_factory=dict)
    rows: list[list[Any] | None] = field(default_factory=list)
    answers: dict[int, list[list[Any]]] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)


@dataclass
class ChunkReader:
    """What reading a chunk needs, loaded once before the reading starts (and shared with
    the reading process when it is forked)."""

    plan: Plan
    writer: Writer
    survey_values: dict[str, Any]
    validate: ResponseValidator

    def __call__(self, chunk: Sequence[tuple[int, list[str]]]) -> PreparedChunk:
        return prepare_chunk(self, chunk)


def prepare_chunk(reader: ChunkReader, chunk: Sequence[tuple[int, list[str]]]) -> PreparedChunk:
    """Read and check ``chunk`` (row number, cells); raises ImportRefused when a date needs
    an order the file does not give."""
    prepared = PreparedChunk(total=len(chunk))
    reader.writer.dates.forget()  # once per chunk, so memory stays flat
    submitted: list[Any] = []
    for number, cells in chunk:
        try:
            row = read_row(reader.plan, number, cells)
        except RowProblem as exc:
            prepared.rejects.append((number, exc.errors))
            continue
        except AmbiguousDate as exc:
            raise ImportRefused(_("Row %(row)s: %(reason)s (dmy, mdy or ymd).")
                                % {"row": number, "reason": exc}) from exc  # fmt: skip
        if row is None:
            prepared.skipped += 1
            continue
        position = len(prepared.numbers)
        prepared.numbers.append(number)
        prepared.external_ids.append(row.external_id)
        if row.customer:
            prepared.customers[position] = row.customer
        try:
            clean = reader.validate(row)
        except InvalidAnswers as exc:
            prepared.invalid[position] = exc.errors
            prepared.rows.append(None)
            submitted.append(None)
            continue
        values = response_values(reader.survey_values, row, clean, None)
        prepared.rows.append(reader.writer.response_row(values))
        submitted.append(values["submitted_at"])
        if answers := reader.writer.answer_rows(clean):
            prepared.answers[position] = answers
    valid = [p for p, row in enumerate(prepared.rows) if row is not None]
    prepared.order = sorted(valid, key=submitted.__getitem__)
    return prepared


def kept_in_date_order(survey: Survey, prepared: PreparedChunk, result: BulkResult) -> list[int]:
    """The positions of the rows to store, in date order: not those already imported or
    repeated in the chunk (counted as skipped), not the invalid ones (rejected), exactly as
    :func:`pulso.surveys.importers.bulk.validate_rows` decides in file order."""
    known = known_external_ids(survey, prepared.external_ids)
    seen: set[str] = set()
    kept = 0
    for position, external_id in enumerate(prepared.external_ids):
        if external_id and (external_id in known or external_id in seen):
            result.skipped += 1
            prepared.rows[position] = None
            continue
        errors = prepared.invalid.get(position)
        if errors is not None:
            result.reject(prepared.numbers[position], errors)
            continue
        if external_id:
            seen.add(external_id)
        kept += 1
    if kept == len(prepared.order):
        return prepared.order
    return [position for position in prepared.order if prepared.rows[position] is not None]


def with_customers(
    writer: Writer, prepared: PreparedChunk, positions: Sequence[int]
) -> list[list[Any]]:
    """The table rows at ``positions``, each with its customer (found or created by
    external id, as :func:`validate_rows` does for every row read) and its segment."""
    customers = customers_by_external_id(prepared.customers.values())
    rows: list[list[Any]] = [prepared.rows[p] for p in positions]  # type: ignore[misc]
    if customers:
        set_customer = writer.customer_setter()
        for row, position in zip(rows, positions, strict=True):
            if position in prepared.customers:
                set_customer(row, customers[prepared.customers[position]])
    return rows


def answers_at(prepared: PreparedChunk, positions: Sequence[int]) -> list[list[list[Any]]]:
    """The other answers of the responses at ``positions`` (empty when every answer is
    copied in SQL)."""
    if not prepared.answers:
        return []
    return [prepared.answers.get(p, []) for p in positions]
