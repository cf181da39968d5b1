from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class TextanalyticsConfig(AppConfig):
    name = "pulso.textanalytics"
    label = "textanalytics"
    verbose_name = _("Text analytics")

    def ready(self) -> None:
        from pulso.feedback.models import Feedback
        from pulso.textanalytics import signals

        post_save.connect(signals.feedback_saved, sender=Feedback, dispatch_uid="ta_feedback")
        post_migrate.connect(signals.load_taxonomy_after_migrate, sender=self)
