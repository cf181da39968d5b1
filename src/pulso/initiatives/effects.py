"""A pilot's measured effect: its responses, the difference-in-differences and the verdict."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pulso.feedback.models import Feedback
from pulso.initiatives.models import Pilot
from pulso.lib.did import DidEstimate, NotEnoughData, Observation, estimate
from pulso.lib.scores import DETRACTOR_MAX, PROMOTER_MIN

CSAT_SATISFIED_MIN = 4  # CSAT 4–5 of 5: the satisfied share, as on the dashboards
CES_EASY_MIN = 5  # CES 5–7 of 7: the "easy" share, as on the dashboards


def response_score(metric: str, value: int) -> float:
    """One answer on the metric's points scale: its mean over answers is the metric itself."""
    if metric == Pilot.Metric.NPS:
        return 100.0 if value >= PROMOTER_MIN else (-100.0 if value <= DETRACTOR_MAX else 0.0)
    threshold = CSAT_SATISFIED_MIN if metric == Pilot.Metric.CSAT else CES_EASY_MIN
    return 100.0 if value >= threshold else 0.0


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class Answer:
    unit: int
    treated: bool
    day: dt.date
    score: float


def pilot_answers(pilot: Pilot, today: dt.date | None = None) -> list[Answer]:
    """Complete feedback of the pilot's units in its windows, with the metric answered."""
    treated = set(pilot.treated_units.values_list("pk", flat=True))
    control = set(pilot.control_units.values_list("pk", flat=True))
    end = pilot.measured_until(today) + dt.timedelta(days=1)
    feedback = Feedback.objects.complete()
    if pilot.touchpoint_id:
        feedback = feedback.filter(touchpoint_id=pilot.touchpoint_id)
    rows = feedback.filter(
        org_unit__in=treated | control,
        received_at__gte=_day_start(pilot.before_start),
        received_at__lt=_day_start(end),
        **{f"{pilot.metric}__isnull": False},
    ).values_list("org_unit_id", "received_at", pilot.metric)
    answers: list[Answer] = []
    for unit, received_at, value in rows.iterator():
        day = timezone.localdate(received_at)
        if pilot.before_end < day < pilot.after_start:
            continue  # between the windows: the change was being prepared
        answers.append(Answer(unit, unit in treated, day, response_score(pilot.metric, value)))
    return answers


def pilot_effect(pilot: Pilot, answers: list[Answer]) -> DidEstimate | None:
    """The difference-in-differences effect, or None without enough units on both sides."""
    observations = [
        Observation(a.unit, a.treated, a.day >= pilot.after_start, a.score) for a in answers
    ]
    try:
        return estimate(observations)
    except NotEnoughData:
        return None


def weekly_trends(pilot: Pilot, answers: list[Answer]) -> list[dict[str, Any]]:
    """Mean score per week of pilot and control units (the parallel-trends chart's rows)."""
    cells: dict[tuple[dt.date, bool], list[float]] = defaultdict(list)
    for a in answers:
        cells[(a.day - dt.timedelta(days=a.day.weekday()), a.treated)].append(a.score)
    labels = {True: _("Pilot units"), False: _("Control units")}
    return [
        {
            "week": week.isoformat(),
            "group": labels[treated],
            "score": round(sum(scores) / len(scores), 1),
            "n": len(scores),
        }
        for (week, treated), scores in sorted(cells.items())
    ]


def _points(value: float) -> str:
    """One decimal in the page's language (Django's number_format truncates; round first)."""
    return number_format(round(value, 1), 1)


@dataclass(frozen=True)
class Verdict:
    kind: str  # improved, worsened, no_effect or not_enough
    text: str


def verdict(result: DidEstimate | None) -> Verdict:
    """The decision in plain words: extend, do not extend, or no effect shown."""
    if result is None:
        return Verdict(
            "not_enough",
            _(
                "Not enough data: at least two pilot and two control units need answers "
                "before and after the start."
            ),
        )
    figures = {
        "effect": _points(abs(result.effect)),
        "low": _points(result.low),
        "high": _points(result.high),
    }
    if result.low > 0:
        text = _(
            "improvement of %(effect)s points, 95 %% CI %(low)s–%(high)s: extend to all stores"
        )
        return Verdict("improved", text % figures)
    if result.high < 0:
        text = _("worsening of %(effect)s points, 95 %% CI %(low)s–%(high)s: do not extend it")
        return Verdict("worsened", text % figures)
    figures["effect"] = _points(result.effect)
    text = _(
        "no effect shown (%(effect)s points, 95 %% CI %(low)s–%(high)s includes zero): do not "
        "extend it yet; run it longer or in more units"
    )
    return Verdict("no_effect", text % figures)
