"""Writing imported responses without building a model instance per row.

A history file can hold millions of rows. Each chunk is written in a few statements: the
responses themselves (multi-row ``INSERT … VALUES`` on SQLite, ``COPY`` on PostgreSQL), in
date order (the date indexes are then written page after page), with ids reserved
beforehand (:func:`pulso.core.bulk.reserve_ids`), then their feedback records and the answers
the responses' own columns hold (the survey's only NPS, CSAT or CES question, its only open
question) copied from the new responses by one ``INSERT … SELECT`` each; only the other answers
(choices, ratings, a second open question) are sent row by row. Responses are inserted as a bulk
write (:func:`pulso.core.bulk.bulk_insert`): the apps that keep data derived from them (the
metrics' log of changed days) do it once per chunk, not once per row. On PostgreSQL, where the
role may, the chunk checks each referenced row once instead of firing the foreign-key triggers
once per row and reference (:func:`pulso.core.bulk.row_reference_checks_skipped`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import operator
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from pulso.core.bulk import bulk_insert, lock_references, reserve_ids, row_reference_checks_skipped
from pulso.feedback.models import Feedback, ImportRun
from pulso.journeys.models import Touchpoint
from pulso.surveys.answers import CleanAnswers
from pulso.surveys.models import RECORD_FIELDS, Answer, Question, Response, Survey, SurveyVersion


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for an aware date-time: naive UTC, ``str()``."""
    return None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))


class _Remembered:
    """A conversion remembered per value until :meth:`forget`: a response's start is often its
    date too, while converting a zoned date-time costs more than the rest of its row."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert, self.seen = convert, dict[Any, Any]()

    def __call__(self, value: Any) -> Any:
        try:
            return self.seen[value]
        except KeyError:
            converted = self.seen[value] = self.convert(value)
            return converted

    def forget(self) -> None:
        self.seen.clear()


def _json(value: Any) -> str:
    return "[]" if value == [] else json.dumps(value)


def _converter(
    field: models.Field[Any, Any], dates: Callable[[Any], Any]
) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite":
        return dates
    if isinstance(field, models.JSONField):
        return _json
    return None  # passed as it is (PostgreSQL's driver adapts aware date-times itself)


IMPORT_CACHE_KIB = 65_536
SQLITE_ROWS_PER_STATEMENT = 1_000


def _sqlite_parameters(raw: sqlite3.Connection) -> int:
    """How many parameters one SQLite statement may bind (32,766 since SQLite 3.32)."""
    return raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


@contextmanager
def roomy_cache() -> Iterator[None]:
    """A larger SQLite page cache while an import runs: the indexes of three tables grow at
    random places, and with the default 2 MB most inserts would read their pages again."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


class Table:
    """Rows of one table written in bulk: every concrete column (the id too, with ``with_id``),
    each field's default where a row gives no value."""

    def __init__(
        self, model: type[models.Model], dates: Callable[[Any], Any], with_id: bool = True
    ) -> None:
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.fields, self.names = fields, [f.attname for f in fields]
        self.convert = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, dates))]
        self.defaults = [(f.attname, None if f.primary_key else f.get_default()) for f in fields]
        self.every = dict(self.defaults)
        self.references = [f.attname for f in fields if isinstance(f, models.ForeignKey)]
        self.pick = operator.itemgetter(*self.names)
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column or f.attname) for f in fields)
        self.copy = f"COPY {self.table} ({self.columns}) FROM STDIN"
        self.model = model
        self.types: list[int] | None = None  # see _binary_types
        self.statements: dict[int, str] = {}

    def row(self, values: Mapping[str, Any]) -> list[Any]:
        row = list(self.pick({**self.every, **values}))
        for index, convert in self.convert:
            row[index] = convert(row[index])
        return row

    def insert(self, rows: Sequence[list[Any]]) -> None:
        if connection.vendor == "postgresql":  # COPY: one round trip for the whole chunk
            self._copy(rows)
            return
        # SQLite: multi-row INSERT … VALUES with bound parameters, on the driver's own
        # connection (Django would rewrite each of a statement's 20,000 placeholders every
        # time). Against one JSON array read with json_each() it saves json.dumps and a JSON
        # parse per cell. A few fixed statement sizes only, so that the driver keeps them all.
        raw = connection.connection
        most = min(SQLITE_ROWS_PER_STATEMENT, _sqlite_parameters(raw) // len(self.fields))
        start = 0
        with connection.wrap_database_errors:
            for size in sorted({most, min(most, 100), min(most, 10), 1}, reverse=True):
                while len(rows) - start >= size:
                    batch = rows[start : start + size]
                    raw.execute(self._values_sql(size), list(itertools.chain(*batch)))
                    start += size

    def _copy(self, rows: Sequence[list[Any]]) -> None:
        """PostgreSQL: COPY in the binary format where the table allows and the values have
        the columns' Python types (the driver then writes each value as it is held, not as
        text the server parses again: 3-5 against 13-40 µs a response row), in text otherwise.
        A binary attempt that fails is rolled back to its savepoint and made again as text,
        which accepts what text accepts and reports what it refuses."""
        types = self._binary_types()
        if types:
            try:
                with transaction.atomic(), connection.wrap_database_errors:
                    self._copy_as(rows, self.copy + " (FORMAT BINARY)", types)
                return
            except (TypeError, ValueError, OverflowError, DatabaseError):
                pass
        with connection.wrap_database_errors:
            self._copy_as(rows, self.copy, None)

    def _copy_as(self, rows: Sequence[list[Any]], sql: str, types: list[int] | None) -> None:
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            if types:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    def _binary_types(self) -> list[int] | None:
        """The columns' type ids, read once; None where one is JSON (a JSON column gets its
        value as text, which the binary format would store as a JSON string)."""
        if self.types is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid, format_type(atttypid, NULL) FROM pg_attribute "
                    "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                    [self.model._meta.db_table],
                )
                found = {name: (oid, kind) for name, oid, kind in cursor.fetchall()}
            wanted = [found[f.column] for f in self.fields]
            json_column = any(kind in ("json", "jsonb") for _oid, kind in wanted)
            self.types = [] if json_column else [oid for oid, _kind in wanted]
        return self.types or None

    def _values_sql(self, count: int) -> str:
        sql = self.statements.get(count)
        if sql is None:
            row = f"({', '.join(['?'] * len(self.fields))})"
            values = ", ".join([row] * count)
            sql = f"INSERT INTO {self.table} ({self.columns}) VALUES {values}"  # noqa: S608
            self.statements[count] = sql
        return sql

    def insert_select(
        self, values: Mapping[str, Any], expressions: Mapping[str, str], source: str,
        params: Sequence[Any],
    ) -> None:  # fmt: skip
        """``INSERT … SELECT … FROM source``: ``expressions`` (attname → SQL) are read from
        the source rows, every other column is the value :meth:`row` gives it from ``values``."""
        fixed = self.row(values)
        selected, constants = [], []
        for index, field in enumerate(self.fields):
            if field.attname in expressions:
                selected.append(expressions[field.attname])
            elif connection.vendor == "postgresql":  # a bare parameter would be read as text
                selected.append(f"%s::{field.cast_db_type(connection)}")
                constants.append(fixed[index])
            else:
                selected.append("%s")
                constants.append(fixed[index])
        select = ", ".join(selected)
        sql = f"INSERT INTO {self.table} ({self.columns}) SELECT {select} FROM {source}"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*constants, *params])


def _responses(ids: Sequence[int], join: str = "") -> tuple[str, list[Any]]:
    """``FROM … WHERE`` selecting exactly the responses with ``ids`` (ascending) as ``r``."""
    table = connection.ops.quote_name(Response._meta.db_table)
    if ids[-1] - ids[0] + 1 == len(ids):  # one range, drawn by no other writer
        return f"{table} r{join} WHERE r.id BETWEEN %s AND %s", [ids[0], ids[-1]]
    return f"{table} r{join} WHERE r.id = ANY(%s)", [list(ids)]  # PostgreSQL: sequence values


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


def _copied_answers(version: SurveyVersion) -> dict[str, tuple[str, str]]:
    """Questions whose answer a response's own column holds: key → (column, answer field).
    The only NPS, CSAT or CES question is the response's score of that kind, the only open
    question its comment (see ``surveys.answers._denormalise``)."""
    questions = version.question_list()
    kinds = [q.kind for q in questions]
    copied: dict[str, tuple[str, str]] = {}
    for question in questions:
        if kinds.count(question.kind) != 1:
            continue
        if question.kind in ("nps", "csat", "ces"):
            copied[question.key] = (question.kind, "number")
        elif question.kind == Question.Kind.TEXT:
            copied[question.key] = ("comment", "text")
    return copied


def _submitted_at(values: Mapping[str, Any]) -> Any:
    """The sort key that writes a chunk in date order: each of the responses' and records'
    date indexes (four per table) is then written page after page, not at random places
    (a page cache cannot hold them for a large history; SQLite: 31 against 39 µs per
    response with 300,000 stored, see docs/benchmarks.md)."""
    return values.get("submitted_at") or _FAR_FUTURE


_FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)


class ResponseWriter:
    """Survey responses of any surveys written in bulk, each with its feedback record: the
    responses from their field values, the records copied from them (and from their
    touchpoints' stage and channel) by one ``INSERT … SELECT``."""

    def __init__(self) -> None:
        self.dates = _Remembered(_sqlite_datetime)
        self.responses = Table(Response, self.dates)
        self.records = Table(Feedback, self.dates)

    def prepare(self, values: Sequence[dict[str, Any]]) -> list[list[Any]]:
        """The responses' table rows, in date order, ids left to :meth:`number`. Reads no
        database, so a child process may build them a chunk ahead of the writer
        (:func:`pulso.core.readahead.ahead_in_child`)."""
        self.dates.forget()  # once per chunk, so memory stays flat
        return list(map(self.responses.row, sorted(values, key=_submitted_at)))

    def response_row(self, values: Mapping[str, Any]) -> list[Any]:
        """A response's table row from its field values (by attname), ids left to
        :meth:`number`."""
        return self.responses.row(values)

    def number(self, rows: Sequence[list[Any]]) -> list[int]:
        """Reserve ids for the responses of ``rows`` and for their records and set them in
        the rows; returns the records' ids, in order."""
        ids = reserve_ids(Response, len(rows))
        record_ids = reserve_ids(Feedback, len(rows))
        id_at = self.responses.names.index("id")
        record_at = self.responses.names.index("feedback_id")
        for row, pk, record in zip(rows, ids, record_ids, strict=True):
            row[id_at], row[record_at] = pk, record
        return record_ids

    def customer_setter(self) -> Callable[[list[Any], tuple[int, str]], None]:
        """A function giving a response row its customer (id, segment): the customer's
        segment where the row has none, as :func:`~.bulk.response_values` does."""
        customer_at = self.responses.names.index("customer_id")
        segment_at = self.responses.names.index("segment")

        def set_customer(row: list[Any], customer: tuple[int, str]) -> None:
            row[customer_at] = customer[0]
            row[segment_at] = (row[segment_at] or customer[1])[:60]

        return set_customer

    def insert(self, rows: Sequence[list[Any]], record: Mapping[str, Any]) -> list[int]:
        """Write the responses as a bulk write, then copy their records (``record``: the
        values a response does not hold, e.g. ``created_at``); returns the responses' ids.
        On PostgreSQL, where the role may, the references are checked once per chunk, not by
        a foreign-key trigger per row and reference (14 of them: 150 against 40 µs a row)."""
        with row_reference_checks_skipped() as skipped:
            if skipped:
                self.lock_references(rows, record)
            return self.insert_checked(rows, record)

    def lock_references(self, rows: Sequence[list[Any]], record: Mapping[str, Any]) -> None:
        """What the skipped foreign-key triggers check, once per referenced row: the
        responses' references, and their records' (a record copies its response's, its
        touchpoint's stage, and what ``record`` gives); a response's record is of this very
        chunk."""
        keys = [
            (index, field.attname)
            for index, field in enumerate(self.responses.fields)
            if isinstance(field, models.ForeignKey) and field.attname != "feedback_id"
        ]
        referenced = {name: {row[i] for row in rows} for i, name in keys}
        lock_references(Response, referenced)
        stages = Touchpoint.objects.filter(pk__in=referenced["touchpoint_id"]).values_list(
            "stage_id", flat=True
        )
        given = {name: [record[name]] for name in self.records.references if name in record}
        lock_references(Feedback, {"stage_id": set(stages), **given})

    def insert_checked(self, rows: Sequence[list[Any]], record: Mapping[str, Any]) -> list[int]:
        """:meth:`insert` with the references checked by the caller or by the triggers."""
        ids = [row[0] for row in rows]
        with bulk_insert(Response) as inserted:
            self.responses.insert(rows)
            inserted.extend(ids)
        self._copy_records(record, ids)
        return ids

    def write(self, values: Sequence[dict[str, Any]], record: Mapping[str, Any]) -> list[int]:
        """:meth:`prepare` then :meth:`write_rows`; returns the records' ids."""
        return self.write_rows(self.prepare(values), record)

    def write_rows(self, rows: Sequence[list[Any]], record: Mapping[str, Any]) -> list[int]:
        """Number the rows of :meth:`prepare` (:meth:`number`), then :meth:`insert` them;
        returns the records' ids, in order."""
        if not rows:
            return []
        record_ids = self.number(rows)
        self.insert(rows, record)
        return record_ids

    def _copy_records(self, fixed: Mapping[str, Any], ids: Sequence[int]) -> None:
        """The feedback records, copied from the responses (``RECORD_FIELDS``)."""
        quote = connection.ops.quote_name
        touchpoints = quote(Touchpoint._meta.db_table)
        source, params = _responses(ids, f" JOIN {touchpoints} t ON t.id = r.touchpoint_id")
        copied = {"id": "r.feedback_id", "stage_id": "t.stage_id", "channel": "t.channel"}
        copied |= {
            name: f"r.{quote(_column(Response, origin))}"
            for name, origin in RECORD_FIELDS.items()
            if name not in copied
        }
        values = {"source": Feedback.Source.SURVEY, "created_at": timezone.now()} | dict(fixed)
        self.records.insert_select(values, copied, source, params)


class Writer(ResponseWriter):
    """Stores validated responses of one survey for one import run."""

    def __init__(self, survey: Survey, version: SurveyVersion, run: ImportRun) -> None:
        super().__init__()
        self.survey, self.run = survey, run
        self.answers = Table(Answer, self.dates, with_id=False)
        self.copied = _copied_answers(version)
        self.question_ids = {q.key: q.pk for q in version.question_list()}

    def answer_rows(self, clean: CleanAnswers) -> list[list[Any]]:
        """The rows of a response's answers not copied from its own columns in SQL, their
        response left to :meth:`store`."""
        if len(self.copied) == len(self.question_ids):  # every answer is a response column
            return []
        row, copied, question_ids = self.answers.row, self.copied, self.question_ids
        return [
            row({"question_id": question_ids[key], **clean.answer_fields(key)})
            for key in clean.values
            if key not in copied
        ]

    def store(self, rows: list[list[Any]], answers: Sequence[Sequence[list[Any]]]) -> list[int]:
        """Write response rows (:meth:`response_row`, in date order), their records and
        answers (``answers``: each response's :meth:`answer_rows`, or none at all when every
        answer is copied); returns the ids of their feedback records, in order."""
        if not rows:
            return []
        record_ids = self.number(rows)
        fixed = {"import_run_id": self.run.pk}
        with row_reference_checks_skipped() as skipped:
            if skipped:
                self.lock_references(rows, fixed)
                lock_references(Answer, {"question_id": self.question_ids.values()})
            ids = self.insert_checked(rows, fixed)
            source, params = _responses(ids)
            self._copy_answers(source, params)
            if answers:
                self._send_answers(ids, answers)
        return record_ids

    def _copy_answers(self, source: str, params: list[Any]) -> None:
        """The answers a response's own columns hold, copied from the responses."""
        quote = connection.ops.quote_name
        for key, (column, field) in self.copied.items():
            value = f"r.{quote(column)}"
            present = f"{value} IS NOT NULL" if field == "number" else f"{value} <> ''"
            self.answers.insert_select(
                {"question_id": self.question_ids[key]},
                {"response_id": "r.id", field: value},
                f"{source} AND {present}",
                params,
            )

    def _send_answers(self, ids: Sequence[int], answers: Sequence[Sequence[list[Any]]]) -> None:
        """The other answers, sent row by row."""
        response_at = self.answers.names.index("response_id")
        rows = []
        for pk, of_response in zip(ids, answers, strict=True):
            for row in of_response:
                row[response_at] = pk
                rows.append(row)
        if rows:
            self.answers.insert(rows)
