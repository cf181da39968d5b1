"""The fast write path of feedback batches: stage, then ``INSERT … ON CONFLICT DO UPDATE``.

Django's ``bulk_create`` prepares every value of every row in Python (about 0.3 ms per
feedback item here) and psycopg splits client-side-bound queries with thousands of
parameters in Python too; both cap an API batch far below 20,000 items/s. Here the rows are
loaded into a temporary table (COPY on PostgreSQL, executemany on SQLite) and moved with one
upsert statement, the same SQL on both. Table and column names come from the model.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from pulso.customers.models import Customer
from pulso.feedback.models import Feedback

COLUMNS = [
    "source", "external_id", "source_name", "channel", "text", "rating", "rating_scale_max",
    "author", "customer_id", "touchpoint_id", "org_unit_id", "language", "received_at",
]  # fmt: skip
KEY = ["source", "external_id"]
RATING, RECEIVED_AT = COLUMNS.index("rating"), COLUMNS.index("received_at")


STAGE = "pulso_feedback_stage"


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


def _stage(cursor: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Load ``rows`` into a temporary table: COPY on PostgreSQL, executemany on SQLite."""
    table = connection.ops.quote_name(Feedback._meta.db_table)
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(
        f"CREATE TEMP TABLE {STAGE} AS SELECT {_quoted(COLUMNS)} FROM {table} WHERE 1 = 0"
    )
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {STAGE} ({_quoted(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in COLUMNS])
    else:
        marks = ", ".join(["?"] * len(COLUMNS))
        values = (_sqlite_values(row) for row in rows)
        cursor.cursor.executemany(f"INSERT INTO {STAGE} VALUES ({marks})", values)


def _sqlite_values(row: dict[str, Any]) -> list[Any]:
    """As Django stores them on SQLite: naive UTC text, decimal numbers as text."""
    values = [row[c] for c in COLUMNS]
    moment = values[RECEIVED_AT]
    values[RECEIVED_AT] = moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    values[RATING] = None if values[RATING] is None else str(values[RATING])
    return values


def _count_existing(table: str) -> str:
    """How many staged rows match a stored item (source and external id)."""
    match = "f.source = s.source AND f.external_id = s.external_id"
    if connection.vendor == "postgresql":
        # LATERAL … LIMIT 1 probes the unique index once per staged row. A plain join let the
        # planner hash the whole feedback table: a cost that grew with every batch stored
        # (68 ms at 180,000 items, against 23 ms for the probes).
        return (
            f"SELECT count(*) FROM {STAGE} s CROSS JOIN LATERAL "
            f"(SELECT 1 FROM {table} f WHERE {match} LIMIT 1) AS hit"
        )
    return f"SELECT count(*) FROM {STAGE} s JOIN {table} f ON {match}"


def upsert(rows: Sequence[dict[str, Any]]) -> tuple[int, list[int]]:
    """Insert ``rows`` (column values by attribute name), updating the stored item when its
    source and external id are known; returns how many were updates, and the ids of every
    stored item. Keys must be unique within ``rows``. Runs inside the caller's transaction."""
    if not rows:
        return 0, []
    quote = connection.ops.quote_name
    table = quote(Feedback._meta.db_table)
    now = timezone.now()
    if connection.vendor == "sqlite":
        now = now.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")  # type: ignore[assignment]
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in COLUMNS if c not in KEY)
    with connection.cursor() as cursor:
        _stage(cursor, rows)
        cursor.execute(_count_existing(table))
        existing = int(cursor.fetchone()[0])
        # "WHERE true" lets SQLite's parser tell ON CONFLICT from a join constraint.
        cursor.execute(
            f"INSERT INTO {table} ({_quoted(COLUMNS)}, created_at) "
            f"SELECT {_quoted(COLUMNS)}, %s FROM {STAGE} WHERE true "
            f"ON CONFLICT ({_quoted(KEY)}) DO UPDATE SET {updates} RETURNING id",
            [now],
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"DROP TABLE {STAGE}")
    return existing, ids


def known_customers(external_ids: Sequence[str]) -> dict[str, int]:
    """Customer ids by external id, for those that exist: one query with the ids as one
    parameter (an array on PostgreSQL, a JSON list on SQLite). The ORM's ``__in`` resolves
    every value of the list in Python, which cost more than the query (2,000 ids per batch)."""
    table = connection.ops.quote_name(Customer._meta.db_table)
    select = f"SELECT external_id, id FROM {table} WHERE external_id"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{select} = ANY(%s)", [list(external_ids)])
        else:
            cursor.execute(
                f"{select} IN (SELECT value FROM json_each(%s))", [json.dumps(list(external_ids))]
            )
        return dict(cursor.fetchall())
