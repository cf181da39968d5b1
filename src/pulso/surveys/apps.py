from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


def _delete_record(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deleted response takes its feedback record (and what hangs from it) along."""
    from pulso.feedback.models import Feedback

    Feedback.objects.filter(pk=instance.feedback_id).delete()


class SurveysConfig(AppConfig):
    name = "pulso.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from pulso.core import scheduler
        from pulso.customers.history import register_history_source
        from pulso.surveys.customer_history import SOURCES
        from pulso.surveys.models import Response

        post_delete.connect(_delete_record, sender=Response, dispatch_uid="surveys_delete_record")
        from pulso.customers.erasure import register_eraser
        from pulso.surveys.erasure import erase_responses

        register_eraser(erase_responses)
        from pulso.core import retention
        from pulso.surveys.retention import mask_answer_details

        retention.register("comment_details", mask_answer_details)
        for source in SOURCES:
            register_history_source(source)
        reminders = "pulso.surveys.distribution.tasks.send_due_reminders"
        scheduler.register("surveys.send_reminders", "0 7 * * *", reminders)
