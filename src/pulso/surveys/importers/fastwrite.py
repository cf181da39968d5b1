"""Writing imported responses without building a model instance per row.

A history file can hold millions of rows; building three model instances per row and letting
``bulk_create`` compile them costs more than the database's work. Here the rows are written
with ``executemany`` from the same values :meth:`Response.record_values` and
:meth:`CleanAnswers.answer_fields` give the ORM path, and the new ids are read back by the
import run they carry (ids only grow, so their order is the order of insertion).
Responses are inserted as a bulk write (:func:`pulso.core.bulk.bulk_insert`): the apps that
keep data derived from them (the metrics' log of changed days) do it once per chunk, not once
per row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from django.db import connection, models
from django.utils import timezone

from pulso.core.bulk import bulk_insert
from pulso.feedback.models import Feedback, ImportRun
from pulso.journeys.models import Touchpoint
from pulso.surveys.answers import CleanAnswers
from pulso.surveys.models import Answer, Response


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for an aware date-time: naive UTC, ``str()``."""
    return None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))


class _Remembered:
    """A conversion remembered per value until :meth:`forget`: a response's dates come back
    in its record (received) and its start, and every row of a chunk has the same creation
    time, while converting a zoned date-time costs more than the rest of its row."""

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
    """An INSERT of every concrete column but the id, with each field's default."""

    def __init__(self, model: type[models.Model], dates: Callable[[Any], Any]) -> None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.table = model._meta.db_table
        self.names = [f.attname for f in fields]
        self.convert = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, dates))]
        self.defaults = [(f.attname, f.get_default()) for f in fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column or f.attname) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})"
        self.copy = f"COPY {quote(self.table)} ({columns}) FROM STDIN"

    def row(self, values: dict[str, Any]) -> list[Any]:
        get = values.get
        row = [get(name, default) for name, default in self.defaults]
        for index, convert in self.convert:
            row[index] = convert(row[index])
        return row

    def insert(self, rows: Sequence[list[Any]]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: one round trip for the whole chunk
                with cursor.cursor.copy(self.copy) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)


class Writer:
    """Stores validated responses of one survey for one import run."""

    def __init__(self, touchpoint: Touchpoint, run: ImportRun) -> None:
        self.touchpoint, self.run = touchpoint, run
        self.dates = _Remembered(_sqlite_datetime)  # shared: a date is in several tables
        self.feedback, self.responses = Table(Feedback, self.dates), Table(Response, self.dates)
        self.answers = Table(Answer, self.dates)
        self.last_feedback_id = 0

    def _record(self, values: dict[str, Any]) -> dict[str, Any]:
        view = SimpleNamespace(**values, touchpoint=self.touchpoint)
        record = Response.record_values(view, self.touchpoint)  # type: ignore[arg-type]
        return record | {"import_run_id": self.run.pk, "created_at": self.now}

    def store(self, rows: Sequence[tuple[dict[str, Any], CleanAnswers]]) -> list[int]:
        """Write the responses (field values by attname) and their answers; returns the ids of
        their feedback records, in order."""
        if not rows:
            return []
        self.now = timezone.now()
        self.dates.forget()  # once per chunk, so memory stays flat
        self.feedback.insert([self.feedback.row(self._record(v)) for v, _c in rows])
        ids = list(
            Feedback.objects.filter(import_run=self.run, pk__gt=self.last_feedback_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.last_feedback_id = ids[-1]
        with bulk_insert(Response) as inserted:
            self.responses.insert(
                [
                    self.responses.row(v | {"feedback_id": i})
                    for (v, _c), i in zip(rows, ids, strict=True)
                ]
            )
            by_record = dict(
                Response.objects.filter(
                    feedback_id__gte=ids[0], feedback_id__lte=ids[-1]
                ).values_list("feedback_id", "pk")
            )
            inserted.extend(by_record.values())
        answer = self.answers.row
        self.answers.insert(
            [
                answer({"response_id": by_record[i], "question_id": clean.questions[key].pk,
                        **clean.answer_fields(key)})
                for (_v, clean), i in zip(rows, ids, strict=True)
                for key in clean.values
            ]
        )  # fmt: skip
        return ids
