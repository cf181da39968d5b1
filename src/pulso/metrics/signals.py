"""Keep search documents current when a comment is edited.

New responses are indexed by the metrics refresh that also counts them in the aggregates
(every few minutes, see ``metrics.refresh``): the trigger on responses logs their day, and
:func:`pulso.metrics.aggregates.refresh_days` indexes that day's unindexed comments. Indexing
them on insert would add a statement to every public submission for no visible gain, since the
dashboards they feed are only as fresh as that refresh.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pulso.feedback.models import FeedbackItem
from pulso.metrics.search_index import index_feedback_item, index_response
from pulso.surveys.models import Response


@receiver(post_save, sender=Response, dispatch_uid="metrics_index_response")
def _index_response(
    sender: type[Response], instance: Response, created: bool = False, **kwargs: Any
) -> None:
    update_fields = kwargs.get("update_fields")
    if not created and (update_fields is None or "comment" in update_fields):
        index_response(instance)


@receiver(post_save, sender=FeedbackItem, dispatch_uid="metrics_index_feedback")
def _index_feedback(sender: type[FeedbackItem], instance: FeedbackItem, **kwargs: Any) -> None:
    index_feedback_item(instance)
