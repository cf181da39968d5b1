"""Erasing a customer: their feedback records keep their scores, lose personal details."""

from __future__ import annotations

from pulso.customers.erasure import ERASED, Erasure
from pulso.feedback.models import Feedback


def erase_feedback(erasure: Erasure) -> None:
    records = Feedback.objects.filter(customer_id=erasure.customer_id)
    for record in records.only("pk", "text", "author").iterator(2000):
        text, author = erasure.redact(record.text), ERASED if record.author else ""
        if (text, author) != (record.text, record.author):
            Feedback.objects.filter(pk=record.pk).update(text=text, author=author)
            erasure.count("feedback.feedback", 1)
