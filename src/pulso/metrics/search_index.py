"""Search documents for the text of feedback records (see :mod:`pulso.lib.search`).

Written for the records a ``feedback.recorded`` event names (:mod:`pulso.metrics.subscribers`),
for any text still unindexed when the aggregates of its day are refreshed (or by the metrics
job), and at once when a text is edited through ``save()`` (signals).

A search reads the full-text index of the documents (migration ``0011``: a GIN index on
PostgreSQL, an FTS5 table on SQLite) and falls back to reading the documents themselves where
there is none (SQLite without FTS5). Both answer the same: every word of the query, normalised
like the stored text, begins a word of the document.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from pulso.feedback.models import Feedback
from pulso.lib.search import search_document, search_tokens
from pulso.metrics.models import SearchDocument

BATCH = 2_000
FTS_TABLE = "metrics_search_fts"  # SQLite's FTS5 table (migration 0011)


def _write(documents: list[SearchDocument]) -> None:
    # A document another task wrote meanwhile (the refresh and the event's indexing may meet)
    # holds the same text: keep it rather than fail the whole refresh.
    SearchDocument.objects.bulk_create(documents, batch_size=BATCH, ignore_conflicts=True)


def index_missing_feedback(start: datetime | None = None, end: datetime | None = None) -> int:
    """Index the texts given in [start, end) (all without bounds) that have no document yet."""
    pending = Feedback.objects.with_text().filter(search_document__isnull=True)
    if start is not None:
        pending = pending.filter(received_at__gte=start)
    if end is not None:
        pending = pending.filter(received_at__lt=end)
    documents, written = [], 0
    for pk, text in pending.values_list("pk", "text").iterator(chunk_size=BATCH):
        documents.append(SearchDocument(feedback_id=pk, text=search_document(text)))
        if len(documents) >= BATCH:
            _write(documents)
            written, documents = written + len(documents), []
    _write(documents)
    return written + len(documents)


def index_feedback(record: Feedback) -> None:
    """(Re)index one record's text; removes the document when the text is empty."""
    if not record.text:
        SearchDocument.objects.filter(feedback_id=record.pk).delete()
        return
    SearchDocument.objects.update_or_create(
        feedback_id=record.pk, defaults={"text": search_document(record.text)}
    )


def index_records(feedback_ids: list[int]) -> int:
    """(Re)write the documents of these records; a record without text gets none."""
    written = 0
    for start in range(0, len(feedback_ids), BATCH):
        ids = feedback_ids[start : start + BATCH]
        SearchDocument.objects.filter(feedback_id__in=ids).delete()
        rows = Feedback.objects.filter(pk__in=ids).values_list("pk", "text")
        documents = [
            SearchDocument(feedback_id=pk, text=search_document(text)) for pk, text in rows if text
        ]
        _write(documents)
        written += len(documents)
    return written


def _has_fts_table() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        return cursor.fetchone() is not None


def forget_removed_words() -> None:
    """Rewrite SQLite's full-text index without the words of deleted or changed documents.

    FTS5 marks a removed document's words as deleted but keeps them in the index's segments
    until they are merged; after a customer is erased or comments are masked, nothing of
    theirs may stay on disk, so the segments are merged at once. A no-op on PostgreSQL (the
    GIN index holds no text) and where SQLite has no full-text table."""
    if connection.vendor == "sqlite" and _has_fts_table():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"  # noqa: S608
            )


# A query matching this many documents or more is read in date order with the words checked
# per row: SQLite would otherwise list every match and sort them all by date for one page, and
# PostgreSQL join them all to the period's records (see _pg_estimated_matches), while frequent
# words fill a page after a short walk back through the date index.
FREQUENT = 20_000


def _sqlite_matches(query: str) -> int:
    """How many documents match, counted up to ``FREQUENT`` (a walk of the index only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s LIMIT {FREQUENT})",
            [query],
        )
        return int(cursor.fetchone()[0])


PG_INDEX = "metrics_search_tsv_idx"  # GIN on to_tsvector('simple', text), migration 0011


def _pg_estimated_matches(tokens: list[str]) -> float:
    """How many documents hold every token as a word start, by the statistics ANALYZE keeps
    of the index (the share of documents holding each of the most common words): the rarest
    token's share of the documents, 0 where a token starts no common word.

    PostgreSQL's planner guesses 2 % for any prefix query: for a word in one document in five
    it joined every match to the period's records (2.1 s at 10,000,000 responses) where
    reading the period backwards and checking each record's document fills the page in 95 ms.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats s, pg_class c WHERE s.tablename = %s AND c.relname = %s",
            [PG_INDEX, SearchDocument._meta.db_table],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return 0.0  # never analysed: the index answers
    words, shares, documents = row
    common = list(zip(words, shares, strict=False))  # the shares end with three summaries
    rarest = min(sum(share for word, share in common if word.startswith(t)) for t in tokens)
    return float(rarest) * max(float(documents), 0.0)


def _full_text_match(tokens: list[str]) -> RawSQL | None:
    """The ids of the records whose documents hold every token as a word prefix, read from
    the full-text index; None where the database has none, or where reading the documents
    in date order is faster (SQLite, frequent words)."""
    docs = SearchDocument._meta.db_table
    if connection.vendor == "postgresql":
        if _pg_estimated_matches(tokens) >= FREQUENT:
            return None  # read in date order instead, the words checked row by row
        query = " & ".join(f"'{token}':*" for token in tokens)  # tokens are word characters only
        return RawSQL(
            f"SELECT feedback_id FROM {docs} "  # noqa: S608
            "WHERE to_tsvector('simple'::regconfig, text) @@ to_tsquery('simple'::regconfig, %s)",
            [query],
        )
    if connection.vendor == "sqlite" and _has_fts_table():
        query = " ".join(f'"{token}"*' for token in tokens)
        if _sqlite_matches(query) >= FREQUENT:
            return None  # read in date order instead, the words checked row by row
        return RawSQL(
            f"SELECT feedback_id FROM {docs} WHERE id IN "  # noqa: S608
            f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            [query],
        )
    return None


def matching_text(query: str, full_text: bool = True) -> Q:
    """The records whose text holds every word of ``query`` (accents and endings aside);
    ``full_text=False`` reads the documents without the full-text index."""
    tokens = search_tokens(query)
    if not tokens:
        return Q()
    found = _full_text_match(tokens) if full_text else None
    if found is not None:
        return Q(pk__in=found)
    condition = Q()
    for token in tokens:
        condition &= Q(search_document__text__contains=f" {token}")
    return condition
