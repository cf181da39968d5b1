"""Erasing a customer: search documents are rewritten from the redacted texts (they hold the
words of each comment, normalised, so they are rebuilt rather than searched)."""

from __future__ import annotations

from pulso.customers.erasure import Erasure
from pulso.feedback.models import Feedback
from pulso.metrics.search_index import forget_removed_words, index_records


def reindex_erased(erasure: Erasure) -> None:
    own = set(Feedback.objects.filter(customer_id=erasure.customer_id).values_list("pk", flat=True))
    swept = {int(pk) for pk in erasure.swept.get("feedback.feedback", ())}
    erasure.count("metrics.searchdocument", index_records(sorted(own | swept)))
    if not erasure.in_pass:  # a retention pass merges the index once, after all its erasures
        forget_removed_words()
