"""What a person sees first: their open cases and the latest negative comments in their scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from pulso.core.access import AnyUser
from pulso.feedback.models import Feedback
from pulso.loop.models import Case
from pulso.textanalytics.models import TextAnalysis

RECENT_DAYS = 7


@dataclass
class HomeSummary:
    my_open_cases: int
    my_overdue_cases: int
    open_cases_in_scope: int
    responses_this_week: int
    negative_comments_this_week: int


def home_summary(user: AnyUser) -> HomeSummary:
    """Counts for the home page, every one scoped to what the user may see."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    cases = Case.objects.visible_to(user)
    mine = Case.objects.filter(owner__pk=user.pk) if user.pk else Case.objects.none()
    analyses = TextAnalysis.objects.visible_to(user)
    return HomeSummary(
        my_open_cases=mine.open().count(),
        my_overdue_cases=mine.overdue().count(),
        open_cases_in_scope=cases.open().count(),
        responses_this_week=Feedback.objects.complete()
        .visible_to(user)
        .filter(source=Feedback.Source.SURVEY, received_at__gte=since)
        .count(),
        negative_comments_this_week=analyses.of_responses()
        .filter(sentiment="negative", feedback__received_at__gte=since)
        .count(),
    )
