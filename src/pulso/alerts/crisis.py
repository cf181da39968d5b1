"""What the crisis alerts look at, read from the database: negative comments per unit and
topic, and feedback per channel, day by day (``pulso.lib.spikes`` judges them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, F
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.feedback.models import Feedback
from pulso.journeys.models import Channel
from pulso.lib import spikes
from pulso.textanalytics.models import Sentiment, TextAnalysis, Topic, TopicMention

HISTORY_DAYS = 7 * spikes.BASELINE_WEEKS + spikes.COOLDOWN_DAYS
Key = tuple[Any, ...]  # (unit id, topic id) or (channel,)


@dataclass(frozen=True)
class CrisisSpike:
    """A spike of one series: a unit's negative comments on a topic, or a channel's volume."""

    unit: OrgUnit
    day: date
    spike: spikes.Spike
    topic: Topic | None = None
    channel: str = ""

    @property
    def channel_label(self) -> str:
        return str(dict(Channel.choices).get(self.channel, self.channel))


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last`` in local time (an indexed range)."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    return start, timezone.make_aware(datetime.combine(last, time.max))


def _arrays(
    rows: Iterable[Mapping[str, Any]], key: tuple[str, ...], first: date, days: int
) -> tuple[list[Key], np.ndarray]:
    """Rows of (key…, day, n) as one array per distinct key, days as columns."""
    index: dict[Key, int] = {}
    cells: list[tuple[int, int, int]] = []
    for row in rows:
        series = index.setdefault(tuple(row[k] for k in key), len(index))
        cells.append((series, (_as_date(row["day"]) - first).days, row["n"]))
    counts = np.zeros((len(index), days))
    for series, column, n in cells:
        counts[series, column] += n
    return list(index), counts


def negative_topic_counts(first: date, last: date) -> tuple[list[Key], np.ndarray]:
    """Comments with a negative mention of each main topic (subtopics rolled up), per unit."""
    rows = (
        TopicMention.objects.filter(
            sentiment=Sentiment.NEGATIVE,
            analysis__written_at__range=_bounds(first, last),
            analysis__feedback__org_unit__isnull=False,
            analysis__feedback__is_complete=True,
        )
        .values(
            unit=F("analysis__feedback__org_unit"),
            main=Coalesce("topic__parent", "topic"),
            day=TruncDate("analysis__written_at"),
        )
        .annotate(n=Count("analysis", distinct=True))
        .order_by()
    )
    return _arrays(rows, ("unit", "main"), first, (last - first).days + 1)


def comments_per_unit(first: date, last: date) -> tuple[list[Key], np.ndarray]:
    """Analysed comments per unit and day: what a topic's complaints are a share of."""
    rows = (
        TextAnalysis.objects.filter(
            written_at__range=_bounds(first, last),
            feedback__org_unit__isnull=False,
            feedback__is_complete=True,
        )
        .values(unit=F("feedback__org_unit"), day=TruncDate("written_at"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _arrays(rows, ("unit",), first, (last - first).days + 1)


def _topic_exposure(keys: list[Key], counts: np.ndarray, first: date, last: date) -> np.ndarray:
    """For each (unit, topic) series, the unit's other comments of the day."""
    units, comments = comments_per_unit(first, last)
    row_of = {key[0]: i for i, key in enumerate(units)}
    total = np.array([comments[row_of[key[0]]] for key in keys]).reshape(counts.shape)
    return np.maximum(total - counts, 0.0)


def channel_counts(first: date, last: date) -> tuple[list[Key], np.ndarray]:
    """Feedback records received per channel (contact volume), per day."""
    rows = (
        Feedback.objects.complete()
        .filter(received_at__range=_bounds(first, last))
        .exclude(channel="")
        .values("channel", day=TruncDate("received_at"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _arrays(rows, ("channel",), first, (last - first).days + 1)


def _recent(counts: np.ndarray, exposure: np.ndarray, scanned: int) -> list[spikes.Spike]:
    """Spikes of the last ``COOLDOWN_DAYS`` days (the earlier ones are the baseline)."""
    recent = HISTORY_DAYS - spikes.COOLDOWN_DAYS
    return [s for s in spikes.find_spikes(counts, exposure, scanned) if s.day >= recent]


def crisis_spikes(day: date) -> list[CrisisSpike]:
    """Spikes of the last week up to ``day``: negative topics per unit, then channel volumes.

    Both share one day's false-alarm budget; a spike found on an earlier day of the week (a
    missed run) is returned with its own day and raised once thanks to the alert's key.
    """
    first = day - timedelta(days=HISTORY_DAYS - 1)
    topic_keys, complaints = negative_topic_counts(first, day)
    channel_keys, volumes = channel_counts(first, day)
    scanned = len(topic_keys) + len(channel_keys)
    exposure = _topic_exposure(topic_keys, complaints, first, day)
    found = [(topic_keys[s.series], s) for s in _recent(complaints, exposure, scanned)]
    units = OrgUnit.objects.in_bulk({key[0] for key, _s in found})
    topics = Topic.objects.in_bulk({key[1] for key, _s in found})
    result = [
        CrisisSpike(units[key[0]], first + timedelta(days=s.day), s, topic=topics[key[1]])
        for key, s in found
    ]
    company = OrgUnit.objects.filter(parent=None).order_by("path").first()
    if company is not None:
        others = volumes.sum(axis=0) - volumes
        result += [
            CrisisSpike(
                company, first + timedelta(days=s.day), s, channel=channel_keys[s.series][0]
            )
            for s in _recent(volumes, others, scanned)
        ]
    return result
