"""Problems worth an initiative, ranked by the NPS points they cost, then by how often they
are the root cause of cases.

For each topic mentioned in comments of the last days, the customers who mention it are
compared with those who do not: the NPS points at stake are the topic's share of answers times
the NPS gap (the others' NPS minus the topic's). A topic mentioned by 10 % of customers whose
NPS is 40 points below the rest costs the overall NPS about 4 points.

Cases name their root cause from the same topics. Each proposed topic carries the number of
cases opened in the window with it as root cause (a tie-break between equal costs), and a topic
that is the root cause of at least :data:`MIN_CASES` cases is proposed even when comments do not
mention it enough to measure its cost: it follows the measured ones, most frequent first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from pulso.core.access import AnyUser, restrict
from pulso.lib.scores import DETRACTOR_MAX, PROMOTER_MIN
from pulso.loop.models import Case
from pulso.textanalytics.models import Sentiment, TextAnalysis, Topic, TopicMention

WINDOW_DAYS = 90
MIN_MENTIONS = 20  # below this the gap is mostly noise
MIN_CASES = 5  # root cause of fewer cases: an anecdote, not yet a problem


@dataclass(frozen=True)
class Problem:
    """A topic worth an initiative; its NPS figures are None when comments do not mention it
    often enough to measure them (it is proposed for its cases' root causes)."""

    topic: Topic
    mentions: int
    negative_share: float | None
    nps_with: float | None
    nps_without: float | None
    points_at_stake: float | None
    cases: int = 0


def root_cause_counts(user: AnyUser, since: dt.datetime) -> dict[int, int]:
    """Cases opened since ``since`` per root-cause topic, in the cases the person may see."""
    cases = restrict(
        Case.objects.filter(created_at__gte=since, root_cause__isnull=False),
        user,
        "loop.view_case",
    )
    rows = cases.values("root_cause_id").annotate(n=Count("pk")).order_by()
    return {row["root_cause_id"]: row["n"] for row in rows}


def _counts(rows: dict[str, Any]) -> tuple[int, int]:
    return rows["n"], rows["promoters"] - rows["detractors"]


def proposed_problems(user: AnyUser, limit: int = 10) -> list[Problem]:
    """The topics costing the most NPS points in the comments the person may see, then
    those most often the root cause of their cases."""
    since = timezone.now() - dt.timedelta(days=WINDOW_DAYS)
    cases = root_cause_counts(user, since)
    measured = [replace(p, cases=cases.get(p.topic.pk, 0)) for p in _costly_topics(user, since)]
    measured.sort(key=lambda p: (-(p.points_at_stake or 0), -p.cases))
    shown = {p.topic.pk for p in measured}
    frequent = [pk for pk, n in cases.items() if n >= MIN_CASES and pk not in shown]
    topics = Topic.objects.in_bulk(frequent)
    by_cases = [Problem(topics[pk], 0, None, None, None, None, cases[pk]) for pk in frequent]
    by_cases.sort(key=lambda p: (-p.cases, p.topic.pk))
    return [*measured, *by_cases][:limit]


def _costly_topics(user: AnyUser, since: dt.datetime) -> list[Problem]:
    """The topics whose mentions cost NPS points, in no particular order."""
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
    return [p for p in found if p is not None and (p.points_at_stake or 0) > 0]


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
