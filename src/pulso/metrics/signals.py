"""Keep search documents current on single-object saves (bulk writers go through refresh)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pulso.feedback.models import FeedbackItem
from pulso.metrics.search_index import index_feedback_item, index_new_response, index_response
from pulso.surveys.models import Response


@receiver(post_save, sender=Response, dispatch_uid="metrics_index_response")
def _index_response(
    sender: type[Response], instance: Response, created: bool = False, **kwargs: Any
) -> None:
    update_fields = kwargs.get("update_fields")
    if created:
        index_new_response(instance)
    elif update_fields is None or "comment" in update_fields:
        index_response(instance)


@receiver(post_save, sender=FeedbackItem, dispatch_uid="metrics_index_feedback")
def _index_feedback(sender: type[FeedbackItem], instance: FeedbackItem, **kwargs: Any) -> None:
    index_feedback_item(instance)
