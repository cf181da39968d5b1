"""Search documents for response comments and feedback items (see :mod:`pulso.lib.search`).

Written for every new comment when the aggregates of its day are refreshed (whatever wrote the
response: the public pages, the API, ``bulk_create`` imports), and at once when a comment is
edited through ``save()`` (signals).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from pulso.feedback.models import FeedbackItem
from pulso.lib.search import search_document
from pulso.metrics.models import SearchDocument
from pulso.surveys.models import Response

BATCH = 2_000


def _write(documents: list[SearchDocument]) -> None:
    SearchDocument.objects.bulk_create(documents, batch_size=BATCH)


def index_missing_responses(start: datetime, end: datetime) -> int:
    """Index the comments submitted in [start, end) that have no search document yet."""
    pending: QuerySet[Response] = Response.objects.filter(
        submitted_at__gte=start, submitted_at__lt=end, search_document__isnull=True
    ).exclude(comment="")
    documents, written = [], 0
    for pk, comment in pending.values_list("pk", "comment").iterator(chunk_size=BATCH):
        documents.append(SearchDocument(response_id=pk, text=search_document(comment)))
        if len(documents) >= BATCH:
            _write(documents)
            written, documents = written + len(documents), []
    _write(documents)
    return written + len(documents)


def index_missing_feedback() -> int:
    pending = FeedbackItem.objects.filter(search_document__isnull=True).values_list("pk", "text")
    documents = [
        SearchDocument(feedback_item_id=pk, text=search_document(text))
        for pk, text in pending.iterator(chunk_size=BATCH)
    ]
    _write(documents)
    return len(documents)


def index_response(response: Response) -> None:
    """(Re)index one response's comment; removes the document when the comment is empty."""
    if not response.comment:
        SearchDocument.objects.filter(response=response).delete()
        return
    SearchDocument.objects.update_or_create(
        response=response, defaults={"text": search_document(response.comment)}
    )


def index_feedback_item(item: FeedbackItem) -> None:
    SearchDocument.objects.update_or_create(
        feedback_item=item, defaults={"text": search_document(item.text)}
    )
