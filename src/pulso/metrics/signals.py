"""Keep search documents current on single-object saves (bulk writers go through refresh)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pulso.feedback.models import FeedbackItem
from pulso.metrics.search_index import index_feedback_item, index_response
from pulso.surveys.models import Response


@receiver(post_save, sender=Response, dispatch_uid="metrics_index_response")
def _index_response(sender: type[Response], instance: Response, **kwargs: Any) -> None:
    index_response(instance)


@receiver(post_save, sender=FeedbackItem, dispatch_uid="metrics_index_feedback")
def _index_feedback(sender: type[FeedbackItem], instance: FeedbackItem, **kwargs: Any) -> None:
    index_feedback_item(instance)
