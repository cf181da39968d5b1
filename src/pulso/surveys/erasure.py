"""Erasing a customer: their responses keep their scores; comments and written answers lose
personal details."""

from __future__ import annotations

from pulso.customers.erasure import Erasure
from pulso.surveys.models import Answer, Response


def erase_responses(erasure: Erasure) -> None:
    responses = Response.objects.filter(customer_id=erasure.customer_id)
    for response in responses.only("pk", "comment").iterator(2000):
        comment = erasure.redact(response.comment)
        if comment != response.comment:
            Response.objects.filter(pk=response.pk).update(comment=comment)
            erasure.count("surveys.response", 1)
    answers = Answer.objects.filter(response__customer_id=erasure.customer_id)
    for answer in answers.only("pk", "text", "choices").iterator(2000):
        text = erasure.redact(answer.text)
        choices = erasure.redact_json(answer.choices, every_string=True)
        if (text, choices) != (answer.text, answer.choices):
            Answer.objects.filter(pk=answer.pk).update(text=text, choices=choices)
            erasure.count("surveys.answer", 1)
