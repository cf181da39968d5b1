"""A record whose text is edited after it was stored (in the admin) is announced again, so that
its analysis, rules, counts and search follow the edit. Survey records are announced by the
surveys app, which records and edits them through their responses."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pulso.feedback.events import publish_recorded
from pulso.feedback.models import Feedback


@receiver(post_save, sender=Feedback, dispatch_uid="feedback_text_edited")
def _announce_edited_text(
    sender: type[Feedback], instance: Feedback, created: bool = False, **kwargs: Any
) -> None:
    update_fields = kwargs.get("update_fields")
    if created or not instance.is_complete or instance.is_survey_response:
        return  # new records are announced by whoever recorded them
    if update_fields is not None and "text" not in update_fields:
        return
    publish_recorded([instance.pk])
