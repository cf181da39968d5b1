"""Search documents for the text of feedback records (see :mod:`pulso.lib.search`).

Written for the records a ``feedback.recorded`` event names (:mod:`pulso.metrics.subscribers`),
for any text still unindexed when the aggregates of its day are refreshed (or by the metrics
job), and at once when a text is edited through ``save()`` (signals).
"""

from __future__ import annotations

from datetime import datetime

from pulso.feedback.models import Feedback
from pulso.lib.search import search_document
from pulso.metrics.models import SearchDocument

BATCH = 2_000


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
