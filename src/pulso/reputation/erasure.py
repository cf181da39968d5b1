"""Erasing a customer: their mentions lose the author's handle (the record's author and text are
erased by feedback; the sweep of every text column catches the rest)."""

from __future__ import annotations

from pulso.customers.erasure import Erasure
from pulso.reputation.models import Mention


def erase_mentions(erasure: Erasure) -> None:
    mentions = Mention.objects.filter(feedback__customer_id=erasure.customer_id).exclude(
        author_handle=""
    )
    erasure.count("reputation.mention", mentions.update(author_handle=""))
