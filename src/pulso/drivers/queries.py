"""The driver matrix of a filter, read in three flat queries (records, rated answers, topics).

Rows are the complete survey responses with an NPS answer in the filter's period and place
that the person may see. Each query returns plain tuples; rows are matched by feedback id
with a sorted-array search, so the cost grows with the rows, not with the drivers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils.translation import get_language
from numpy.typing import NDArray

from pulso.core.access import AnyUser
from pulso.drivers.analysis import (
    ATTRIBUTE,
    TOPIC,
    TOUCHPOINT,
    Driver,
    DriverMatrix,
)
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint
from pulso.lib.importance import Array
from pulso.metrics.aggregates import day_bounds
from pulso.metrics.filters import MetricFilter
from pulso.surveys.models import Answer, Question
from pulso.textanalytics.models import Topic, TopicMention

Ids = NDArray[np.int64]

# At most this many drivers of each kind (the most answered or mentioned): more would spread
# the explained variance thinly and make the chart unreadable.
MAX_TOUCHPOINTS = 12
MAX_ATTRIBUTES = 12
MAX_TOPICS = 12
# A topic needs this many mentions to enter the model.
MIN_MENTIONS = 5
# Each survey scale mapped to 0–1: (lowest, highest).
SCORE_SCALES = {"csat": (1, 5), "ces": (1, 7)}


def responses(f: MetricFilter, user: AnyUser) -> QuerySet[Feedback]:
    """The survey responses the analysis reads (complete, with an NPS, visible to the user)."""
    start, end = day_bounds(f.start, f.end)
    conditions: dict[str, Any] = {
        "journey": f.journey,
        "stage": f.stage,
        "touchpoint": f.touchpoint,
        "org_unit__path__startswith": f.unit.path if f.unit else None,
        "response__channel": f.channel,
        "response__segment": f.segment,
        "response__survey": f.survey,
        "response__survey__audience": f.audience,
    }
    return (
        Feedback.objects.restrict(user, "metrics.view_counts")
        .complete()
        .filter(source=Feedback.Source.SURVEY, nps__isnull=False)
        .filter(received_at__gte=start, received_at__lt=end)
        .filter(**{k: v for k, v in conditions.items() if v not in (None, "")})
    )


def driver_matrix(f: MetricFilter, user: AnyUser) -> DriverMatrix:
    """Outcome and drivers of every response behind the filter."""
    records = responses(f, user)
    fields = ("pk", "nps", "touchpoint_id", "csat", "ces", "org_unit_id")
    rows = np.array(list(records.order_by("pk").values_list(*fields)), dtype=np.float64)
    rows = rows.reshape(-1, len(fields))
    ids = rows[:, 0].astype(np.int64)
    columns: list[tuple[Driver, Array]] = [
        *_touchpoint_columns(rows),
        *_attribute_columns(records, ids),
        *_topic_columns(records, ids),
    ]
    x = np.column_stack([c for _, c in columns]) if columns else np.empty((len(ids), 0))
    units = np.nan_to_num(rows[:, 5]).astype(np.int64)
    return DriverMatrix(drivers=[d for d, _ in columns], x=x, y=rows[:, 1], units=units)


def _touchpoint_columns(rows: Array) -> list[tuple[Driver, Array]]:
    """Satisfaction (CSAT, else ease, CES) with the response's own touchpoint, on 0–1."""
    score = np.full(rows.shape[0], np.nan)
    for index, name in ((4, "ces"), (3, "csat")):  # CSAT wins where both were asked
        low, high = SCORE_SCALES[name]
        given = ~np.isnan(rows[:, index])
        score[given] = (rows[given, index] - low) / (high - low)
    answered = ~np.isnan(score) & ~np.isnan(rows[:, 2])
    counts = Counter(rows[answered, 2].astype(np.int64).tolist())
    kept = [pk for pk, _ in counts.most_common(MAX_TOUCHPOINTS)]
    names = Touchpoint.objects.in_bulk(kept)
    columns = []
    for pk in kept:
        column = np.where(rows[:, 2] == pk, score, np.nan)
        driver = Driver(f"{TOUCHPOINT}:{pk}", TOUCHPOINT, names[pk].name)
        columns.append((driver, column))
    return columns


def _attribute_columns(records: QuerySet[Feedback], ids: Ids) -> list[tuple[Driver, Array]]:
    """Rated attributes: answers to rating-scale questions, by question key, on 0–1."""
    answers = Answer.objects.filter(
        response__feedback__in=records.values("pk"),
        question__kind=Question.Kind.RATING,
        number__isnull=False,
    ).values_list(
        "response__feedback_id", "question__key", "number", "question__scale_min",
        "question__scale_max", "question__text_es", "question__text_en",
    )  # fmt: skip
    by_key: dict[str, list[tuple[int, float]]] = {}
    labels: dict[str, str] = {}
    english = (get_language() or "es").startswith("en")
    for record, key, number, low, high, text_es, text_en in answers.iterator(chunk_size=5_000):
        low, high = low if low is not None else 1, high if high is not None else 5
        if number is None or high <= low:
            continue
        by_key.setdefault(key, []).append((record, (number - low) / (high - low)))
        labels.setdefault(key, (text_en if english and text_en else text_es) or key)
    kept = sorted(by_key, key=lambda k: -len(by_key[k]))[:MAX_ATTRIBUTES]
    return [
        (Driver(f"{ATTRIBUTE}:{key}", ATTRIBUTE, labels[key]), _column(ids, by_key[key], np.nan))
        for key in kept
    ]


def _topic_columns(records: QuerySet[Feedback], ids: Ids) -> list[tuple[Driver, Array]]:
    """Whether each response's comment mentions a topic (1) or not (0)."""
    mentions = (
        TopicMention.objects.filter(
            analysis__feedback__in=records.values("pk"), topic__is_active=True
        )
        .values_list("analysis__feedback_id", "topic_id")
        .distinct()
    )
    by_topic: dict[int, list[tuple[int, float]]] = {}
    for record, topic in mentions.iterator(chunk_size=5_000):
        by_topic.setdefault(topic, []).append((record, 1.0))
    frequent = [t for t in by_topic if len(by_topic[t]) >= MIN_MENTIONS]
    kept = sorted(frequent, key=lambda t: -len(by_topic[t]))[:MAX_TOPICS]
    topics = Topic.objects.select_related("parent").in_bulk(kept)
    return [
        (
            Driver(f"{TOPIC}:{topics[pk].slug}", TOPIC, topics[pk].label),
            _column(ids, by_topic[pk], 0.0),
        )
        for pk in kept
    ]


def _column(ids: Ids, values: list[tuple[int, float]], default: float) -> Array:
    """One value per row (rows sorted by id), ``default`` where the row has none."""
    column = np.full(ids.shape[0], default)
    found = np.array(values, dtype=np.float64).reshape(-1, 2)
    where = np.searchsorted(ids, found[:, 0].astype(np.int64))
    inside = where < ids.shape[0]
    where, found = where[inside], found[inside]
    matched = ids[where] == found[:, 0]
    column[where[matched]] = found[matched, 1]
    return column
