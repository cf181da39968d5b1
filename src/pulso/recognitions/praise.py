"""Which comments are praise, and which employees of the unit they name."""

from __future__ import annotations

from pulso.accounts.models import Membership
from pulso.feedback.models import Feedback
from pulso.lib.names import Person, named_people
from pulso.lib.scores import PROMOTER_MIN
from pulso.textanalytics.models import Sentiment, TextAnalysis


def is_praise(feedback: Feedback, analysis: TextAnalysis | None) -> bool:
    """Positive by text analysis, or a promoter's comment the analysis does not find
    negative."""
    sentiment = analysis.sentiment if analysis is not None else ""
    if sentiment == Sentiment.NEGATIVE:
        return False
    promoter = feedback.nps is not None and feedback.nps >= PROMOTER_MIN
    return sentiment == Sentiment.POSITIVE or promoter


def named_employees(feedback: Feedback) -> list[Membership]:
    """The memberships of the feedback's unit whose person the comment names unambiguously."""
    if feedback.org_unit_id is None or not feedback.text:
        return []
    memberships = list(
        Membership.objects.filter(unit_id=feedback.org_unit_id, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    people = [Person(m.pk, m.user.first_name, m.user.last_name) for m in memberships]
    named = set(named_people(feedback.text, people))
    return [m for m in memberships if m.pk in named]
