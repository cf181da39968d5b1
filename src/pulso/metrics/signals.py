"""Keep search documents current when a text is stored or edited.

New survey comments are indexed by the metrics refresh that also counts them in the aggregates
(every few minutes, see ``metrics.refresh``): the trigger on responses logs their day, and
:func:`pulso.metrics.aggregates.refresh_days` indexes that day's unindexed comments. Indexing
them on insert would add a statement to every public submission for no visible gain, since the
dashboards they feed are only as fresh as that refresh.
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
