"""Problems worth an initiative, ranked by the NPS points they cost.

For each topic mentioned in comments of the last days, the customers who mention it are
compared with those who do not: the NPS points at stake are the topic's share of answers times
the NPS gap (the others' NPS minus the topic's). A topic mentioned by 10 % of customers whose
NPS is 40 points below the rest costs the overall NPS about 4 points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from pulso.core.access import AnyUser, restrict
from pulso.lib.scores import DETRACTOR_MAX, PROMOTER_MIN
from pulso.textanalytics.models import Sentiment, TextAnalysis, Topic, TopicMention

WINDOW_DAYS = 90
MIN_MENTIONS = 20  # below this the gap is mostly noise


@dataclass(frozen=True)
class Problem:
    topic: Topic
    mentions: int
    negative_share: float
    nps_with: float
    nps_without: float
    points_at_stake: float


def _counts(rows: dict[str, Any]) -> tuple[int, int]:
    return rows["n"], rows["promoters"] - rows["detractors"]


def proposed_problems(user: AnyUser, limit: int = 10) -> list[Problem]:
    """The topics costing the most NPS points in the comments the person may see."""
    since = timezone.now() - dt.timedelta(days=WINDOW_DAYS)
    analyses = restrict(
        TextAnalysis.objects.filter(written_at__gte=since, feedback__nps__isnull=False),
        user,
        "textanalytics.view_textanalysis",
    )
    scores = {
        "n": Count("pk"),
        "promoters": Count("pk", filter=Q(feedback__nps__gte=PROMOTER_MIN)),
        "detractors": Count("pk", filter=Q(feedback__nps__lte=DETRACTOR_MAX)),
    }
    total_n, total_net = _counts(analyses.aggregate(**scores))
    if not total_n:
        return []
    mention_scores = {
        "n": Count("pk"),
        "promoters": Count("pk", filter=Q(analysis__feedback__nps__gte=PROMOTER_MIN)),
        "detractors": Count("pk", filter=Q(analysis__feedback__nps__lte=DETRACTOR_MAX)),
        "negative": Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
    }
    mentions = TopicMention.objects.filter(analysis__in=analyses).values("topic_id")
    annotated: list[dict[str, Any]] = list(mentions.annotate(**mention_scores))  # type: ignore[arg-type]
    rows = [row for row in annotated if row["n"] >= MIN_MENTIONS]
    topics = Topic.objects.in_bulk([row["topic_id"] for row in rows])
    found = [_problem(topics[row["topic_id"]], row, total_n, total_net) for row in rows]
    problems = [p for p in found if p is not None and p.points_at_stake > 0]
    return sorted(problems, key=lambda p: -p.points_at_stake)[:limit]


def _problem(topic: Topic, row: dict[str, Any], total_n: int, total_net: int) -> Problem | None:
    n, net = _counts(row)
    if n >= total_n:
        return None  # everyone mentions it: nothing to compare with
    nps_with = 100 * net / n
    nps_without = 100 * (total_net - net) / (total_n - n)
    return Problem(
        topic=topic,
        mentions=n,
        negative_share=row["negative"] / n,
        nps_with=nps_with,
        nps_without=nps_without,
        points_at_stake=n / total_n * (nps_without - nps_with),
    )
