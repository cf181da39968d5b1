"""Keep search documents current when a text is stored or edited outside the pipeline.

New survey comments are indexed by the ``feedback.recorded`` subscriber
(:func:`pulso.metrics.subscribers.index_recorded`), in the worker: indexing them on insert would
add a statement to every public submission.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pulso.feedback.models import Feedback
from pulso.metrics.search_index import index_feedback


@receiver(post_save, sender=Feedback, dispatch_uid="metrics_index_feedback")
def _index_feedback(
    sender: type[Feedback], instance: Feedback, created: bool = False, **kwargs: Any
) -> None:
    update_fields = kwargs.get("update_fields")
    if created and instance.source == Feedback.Source.SURVEY:
        return  # indexed with its day's aggregates
    if update_fields is not None and "text" not in update_fields:
        return
    index_feedback(instance)
