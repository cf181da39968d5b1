"""CSAT of the inbox: the customers' 1-5 answers after a close, for conversations a person
handled and, apart, for those the assistant closed alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from pulso.inbox.models import Conversation


@dataclass(frozen=True)
class Csat:
    average: float | None
    answers: int
    satisfied: int  # answers of 4 or 5

    @property
    def share_satisfied(self) -> float | None:
        """CSAT as usually reported: the share of 4s and 5s."""
        return self.satisfied / self.answers if self.answers else None


def csat_by_handler(conversations: QuerySet[Conversation]) -> dict[str, Csat]:
    """{"people": …, "assistant": …} over the rated conversations given (one query)."""
    rated = conversations.filter(csat_feedback__isnull=False)
    alone = Q(handoff_reason="")
    score = "csat_feedback__csat"
    figures = rated.aggregate(
        people_avg=Avg(score, filter=~alone),
        people_n=Count("pk", filter=~alone),
        people_ok=Count("pk", filter=~alone & Q(csat_feedback__csat__gte=4)),
        assistant_avg=Avg(score, filter=alone),
        assistant_n=Count("pk", filter=alone),
        assistant_ok=Count("pk", filter=alone & Q(csat_feedback__csat__gte=4)),
    )
    return {
        who: Csat(figures[f"{who}_avg"], figures[f"{who}_n"], figures[f"{who}_ok"])
        for who in ("people", "assistant")
    }
